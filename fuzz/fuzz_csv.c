/* fuzz_csv.c — a petition's signers CSV read with the example petition's
 * columns: parsing, row checks, duplicates, collation, groups. */
#include "fuzz.h"
#include "letter.h"
#include "signers.h"
#include "workspace.h"

#include <libxml/parser.h>

static struct letter *letter;
static struct letter_petition petition;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!letter) {
        xmlInitParser();
        struct errors errors = {0};
        struct workspace *ws = workspace_load(".", &errors);
        letter = ws ? letter_load("letters/petition-2022.xml", &errors) : NULL;
        if (!letter || !letter->petition) {
            errors_print(&errors, stderr);
            abort();
        }
        const char *folder = fuzz_folder();
        path_policy_set(".", &folder, 1, NULL);
        petition = *letter->petition;
        workspace_free(ws);
    }
    petition.signers = fuzz_write("signers.csv", data, size);
    struct errors errors = {0};
    signers_free(signers_load(&petition, "en_GB", size % 2 == 0, &errors));
    errors_clear(&errors);
    return 0;
}
