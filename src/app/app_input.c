/* app_input.c — what every letter is merged with, decided in one place:
 * its reference (the number the issue protocol allocated, or a draft's
 * own) and the time its PDF is dated with (the clock, or
 * SOURCE_DATE_EPOCH for a reproducible draft). merge_letter() takes the
 * result and writes nothing back into the loaded letter. */
#include "app_internal.h"

#include "letter.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int app_draft_time(char out[32], struct errors *errors)
{
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    if (!epoch || !*epoch)
        return 0;
    char *end = NULL;
    errno = 0;
    long long seconds = strtoll(epoch, &end, 10);
    time_t t = (time_t)seconds;
    struct tm tm;
    if (*end || errno || seconds < 0 || seconds > 253402300799LL || !gmtime_r(&t, &tm)) {
        errors_add_at(errors, NULL, 0, 0,
                      "SOURCE_DATE_EPOCH '%s' is not a number of seconds since 1970 (up to the "
                      "year 9999)",
                      epoch);
        return -1;
    }
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return 1;
}

struct merge_input app_merge_input(const struct letter *letter, const char *issued,
                                   const char *time, const struct signers *signers)
{
    if (issued)
        return (struct merge_input){.reference = issued, .timestamp = time, .signers = signers};
    /* A draft keeps the reference its file gives (an imported letter's);
     * such a letter is dated by its own date, not the build's. */
    return (struct merge_input){.reference = letter->reference,
                                .timestamp = letter->reference ? NULL : time,
                                .signers = signers};
}

time_t app_time_seconds(const char *now)
{
    struct tm tm = {0};
    if (sscanf(now, "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec) != 6)
        return 0;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return timegm(&tm);
}
