/* output.c — safe names and atomic multi-file writes. */
#include "output.h"

#include "arena.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *output_safe_name(const char *text)
{
    size_t n = strlen(text);
    char *name = xmalloc(n + 8);
    size_t len = 0;
    bool dash = false;
    for (size_t i = 0; i < n && len < 120; i++) {
        char c = text[i];
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
        if (keep && !(len == 0 && (c == '.' || c == '-'))) {
            name[len++] = c;
            dash = (c == '-');
        } else if (!keep && len > 0 && !dash) {
            name[len++] = '-';
            dash = true;
        }
    }
    while (len > 0 && name[len - 1] == '-')
        len--;
    if (len == 0) {
        strcpy(name, "letter");
        return name;
    }
    name[len] = '\0';
    return name;
}

static int write_fully(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Writes content to a fresh temporary beside its final name; returns the
 * temporary's path (caller frees) or NULL with an error. */
static char *write_temporary(const char *final_path, const struct buffer *content,
                             struct errors *errors)
{
    size_t n = strlen(final_path);
    char *tmp = xmalloc(n + 16);
    snprintf(tmp, n + 16, "%s.XXXXXX.tmp", final_path);
    int fd = mkstemps(tmp, 4);
    if (fd < 0) {
        errors_add_at(errors, final_path, 0, 0, "cannot create file: %s", strerror(errno));
        free(tmp);
        return NULL;
    }
    if (fchmod(fd, 0644) != 0 ||
        write_fully(fd, content->data ? content->data : "", content->len) != 0 || fsync(fd) != 0) {
        errors_add_at(errors, final_path, 0, 0, "cannot write file: %s", strerror(errno));
        close(fd);
        unlink(tmp);
        free(tmp);
        return NULL;
    }
    if (close(fd) != 0) {
        errors_add_at(errors, final_path, 0, 0, "cannot write file: %s", strerror(errno));
        unlink(tmp);
        free(tmp);
        return NULL;
    }
    return tmp;
}

int output_write_all(const char *dir, const char *stem, const struct output_file *files,
                     size_t count, struct errors *errors)
{
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        errors_add_at(errors, dir, 0, 0, "cannot create output folder: %s", strerror(errno));
        return -1;
    }
    char **finals = xcalloc(count, sizeof *finals);
    char **temps = xcalloc(count, sizeof *temps);
    int status = 0;
    for (size_t i = 0; i < count && status == 0; i++) {
        size_t n = strlen(dir) + strlen(stem) + strlen(files[i].extension) + 3;
        finals[i] = xmalloc(n);
        snprintf(finals[i], n, "%s/%s.%s", dir, stem, files[i].extension);
        temps[i] = write_temporary(finals[i], files[i].content, errors);
        if (!temps[i])
            status = -1;
    }
    /* Renames happen only once every temporary is complete on disk. */
    for (size_t i = 0; i < count && status == 0; i++) {
        if (rename(temps[i], finals[i]) != 0) {
            errors_add_at(errors, finals[i], 0, 0, "cannot write file: %s", strerror(errno));
            status = -1;
        } else {
            free(temps[i]);
            temps[i] = NULL;
        }
    }
    for (size_t i = 0; i < count; i++) {
        if (temps[i])
            unlink(temps[i]);
        free(temps[i]);
        free(finals[i]);
    }
    free(finals);
    free(temps);
    return status;
}
