/* check.h — the tiny test harness every unit test uses: CHECK(cond) and
 * CHECK_STR(actual, expected) count and report failures with file:line,
 * and CHECK_MAIN(name, ...) runs the tests and prints
 * "name: N checks, M failed", exiting non-zero on failure. */
#ifndef MISSIVE_CHECK_H
#define MISSIVE_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_count, check_failed;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        check_count++;                                                                             \
        if (!(cond)) {                                                                             \
            check_failed++;                                                                        \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
        }                                                                                          \
    } while (0)

#define CHECK_STR(actual, expected)                                                                \
    do {                                                                                           \
        const char *check_a_ = (actual), *check_e_ = (expected);                                   \
        check_count++;                                                                             \
        if (!check_a_ || !check_e_ || strcmp(check_a_, check_e_) != 0) {                           \
            check_failed++;                                                                        \
            fprintf(stderr, "%s:%d: check failed: %s\n  actual:   \"%s\"\n  expected: \"%s\"\n",   \
                    __FILE__, __LINE__, #actual, check_a_ ? check_a_ : "(null)",                   \
                    check_e_ ? check_e_ : "(null)");                                               \
        }                                                                                          \
    } while (0)

/* Runs the statements given (usually calls of test functions), then
 * reports and returns the exit status. */
#define CHECK_MAIN(name, ...)                                                                      \
    int main(void)                                                                                 \
    {                                                                                              \
        __VA_ARGS__;                                                                               \
        printf("%s: %d checks, %d failed\n", name, check_count, check_failed);                     \
        return check_failed ? 1 : 0;                                                               \
    }

#endif
