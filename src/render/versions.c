/* versions.c — the versions of missive and of every library whose build
 * changes the bytes of a PDF or text: libharu (PDF objects), HarfBuzz
 * (shaping, subsets), libdeflate (compressed streams), ICU (line breaks,
 * case, dates). Asked of each library at run time, not taken from headers,
 * except libdeflate's, which has no run-time query (its streams depend on
 * its build, and Debian ships one). */
#include "versions.h"

#include <hb.h>
#include <hpdf.h>
#include <unicode/uversion.h>
#include <libdeflate.h>

#include <pthread.h>
#include <stdio.h>

#ifndef MISSIVE_VERSION
#define MISSIVE_VERSION "unknown"
#endif

static char text[256];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void make(void)
{
    UVersionInfo icu;
    char icu_text[U_MAX_VERSION_STRING_LENGTH];
    u_getVersion(icu);
    u_versionToString(icu, icu_text);
    snprintf(text, sizeof text, "missive %s; libharu %s; HarfBuzz %s; libdeflate %s; ICU %s",
             MISSIVE_VERSION, HPDF_GetVersion(), hb_version_string(), LIBDEFLATE_VERSION_STRING,
             icu_text);
}

const char *versions_text(void)
{
    pthread_once(&once, make);
    return text;
}
