/* module.c — loading the optional parts (see module.h). A module stays
 * loaded until the process ends: what it hands out (a register backend,
 * a function) is used until then. */
#include "module.h"

#include "arena.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dir;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void module_set_dir(const char *folder)
{
    free(dir);
    dir = folder ? xstrdup(folder) : NULL;
}

const char *module_dir(void)
{
    return dir;
}

static void *lookup(const char *name, const char *symbol, char *reason, size_t size)
{
    if (!dir) {
        snprintf(reason, size, "missive-%s.so is not installed with this missive", name);
        return NULL;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/missive-%s.so", dir, name);
    /* dlopen counts its own loads: a second call hands back the same
     * handle. The lock keeps dlerror's message with its call. */
    pthread_mutex_lock(&lock);
    void *address = NULL;
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!handle)
        snprintf(reason, size, "cannot load %s (%s)", path, dlerror());
    else if (!(address = dlsym(handle, symbol)))
        snprintf(reason, size, "%s has no %s (%s)", path, symbol, dlerror());
    pthread_mutex_unlock(&lock);
    return address;
}

void *module_symbol(const char *name, const char *symbol, char *reason, size_t size)
{
    return lookup(name, symbol, reason, size);
}

module_fn *module_function(const char *name, const char *symbol, char *reason, size_t size)
{
    /* POSIX's way from dlsym's object pointer to a function pointer. */
    void *address = lookup(name, symbol, reason, size);
    module_fn *fn;
    memcpy(&fn, &address, sizeof fn);
    return fn;
}
