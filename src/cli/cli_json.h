/* cli_json.h — owns the JSON that `--json` prints for check, render and
 * issue (one report of every letter given) and the errors in it; the
 * schemas are documented in docs/cli.md ("Machine-readable output"). */
#ifndef MISSIVE_CLI_JSON_H
#define MISSIVE_CLI_JSON_H

#include "cli_events.h"
#include "error.h"

#include <jansson.h>

/* s as a JSON string, or null when s is NULL. */
json_t *cli_json_string(const char *s);
/* The errors as [{"file", "line", "column", "message"}], unknown parts
 * null. */
json_t *cli_json_errors(const struct errors *errors);
/* One letter file of a run: {"path", "status", "ok", "campaign",
 * "documents": [{NAME_KEY, "recipient", "language", "files"}], "errors"};
 * NAME_KEY is "name" (render, check: the output name) or "reference"
 * (issue). */
json_t *cli_json_letter(const char *path, const char *name_key, int status,
                        const struct cli_events *e, const struct errors *errors);
/* The whole run: {"command", "status", "ok", "letters", "errors"}, taking
 * letters and errors (both may be NULL). */
json_t *cli_json_run(const char *command, int status, json_t *letters, json_t *errors);
/* Prints value on stdout, indented, and frees it. */
void cli_json_print(json_t *value);

#endif
