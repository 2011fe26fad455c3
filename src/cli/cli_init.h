/* cli_init.h — owns the command line of `missive init`. */
#ifndef MISSIVE_CLI_INIT_H
#define MISSIVE_CLI_INIT_H

/* Runs `missive init`; argv[0] is "init". Returns the exit status. */
int cli_init(int argc, char **argv);

#endif
