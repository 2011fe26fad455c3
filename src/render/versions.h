/* versions.h — owns the versions of the libraries that shape an issued
 * letter's bytes, as the register records them with each entry, so that a
 * reprint that differs can say which build changed. */
#ifndef MISSIVE_VERSIONS_H
#define MISSIVE_VERSIONS_H

/* "missive 0.1.0; libharu 2.3.0; HarfBuzz 6.0.0; zlib 1.2.13; ICU 72.1",
 * the versions running now (static, made once). */
const char *versions_text(void);

#endif
