/* cli_set.c — `missive set FILE.ini SECTION KEY VALUE` and `missive set
 * LETTER.xml date VALUE`: one value changed in place, the rest of the file
 * byte for byte as it was (app_edit). */
#include "cli_register.h"

#include <stdio.h>

int cli_set(struct cli *c)
{
    bool ini = c->arg_count == 4;
    struct app_edit_request request = {.file = c->args[0],
                                       .section = ini ? c->args[1] : NULL,
                                       .key = c->args[ini ? 2 : 1],
                                       .value = c->args[ini ? 3 : 2]};
    struct arena *arena = arena_new();
    struct app_edit result;
    int status = app_edit(c->app, &request, arena, &result, &c->errors);
    if (status == APP_OK && !c->quiet)
        printf("%s:%d:%d: %s: '%s' -> '%s'\n", request.file, result.loc.line, result.loc.column,
               request.key, result.old_value, request.value);
    arena_free(arena);
    return cli_fail(c, status);
}
