/* fuzz_ini.c — a missive.ini: the INI scan, iniparser and every setting's
 * checks, in a workspace of its own (no people files). */
#include "fuzz.h"
#include "workspace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_write("missive.ini", data, size);
    struct errors errors = {0};
    workspace_free(workspace_load(fuzz_folder(), &errors));
    errors_clear(&errors);
    return 0;
}
