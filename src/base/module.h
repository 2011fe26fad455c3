/* module.h — owns loading missive's optional parts: the web server
 * (`missive serve`), signing (OpenSSL), the PostgreSQL register and the
 * time-stamp client are shared modules (missive-web.so, missive-sign.so,
 * missive-pg.so, missive-tsa.so) that the program loads the first time a
 * command needs one, so that every other command starts without their
 * libraries (poppler, cairo, glib, libmicrohttpd, libcrypto, libpq,
 * libcurl and theirs: two thirds of the start-up of a one-letter render). A module is missive's own
 * code, found in the folder the program names; nothing else is ever loaded. */
#ifndef MISSIVE_MODULE_H
#define MISSIVE_MODULE_H

#include <stddef.h>

/* Names the folder holding the modules (NULL: none). Call before any
 * thread starts; the string is copied. */
void module_set_dir(const char *dir);
/* The folder named, or NULL. */
const char *module_dir(void);
/* The address of symbol in module NAME (missive-NAME.so), loading it the
 * first time; NULL with the reason in reason. Thread-safe. */
void *module_symbol(const char *name, const char *symbol, char *reason, size_t size);
/* The same for a function (cast it to its own type). */
typedef void module_fn(void);
module_fn *module_function(const char *name, const char *symbol, char *reason, size_t size);

#endif
