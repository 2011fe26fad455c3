/* archive.c — hashing and durable file operations in the archive folder. */
#include "archive.h"

#include "output.h"

#include "arena.h"
#include "buffer.h"

#include <nettle/sha2.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *archive_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = xmalloc(n);
    snprintf(path, n, "%s/%s", dir, name);
    return path;
}

static void to_hex(const unsigned char *digest, char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++) {
        hex[2 * i] = digits[digest[i] >> 4];
        hex[2 * i + 1] = digits[digest[i] & 15];
    }
    hex[64] = '\0';
}

void archive_sha256(const void *data, size_t len, char hex[65])
{
    struct sha256_ctx ctx;
    unsigned char digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, len, data);
    sha256_digest(&ctx, sizeof digest, digest);
    to_hex(digest, hex);
}

int archive_sha256_file(const char *path, char hex[65], long long *size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct sha256_ctx ctx;
    unsigned char chunk[65536], digest[SHA256_DIGEST_SIZE];
    long long total = 0;
    sha256_init(&ctx);
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int saved = errno;
            close(fd);
            errno = saved;
            return -1;
        }
        if (n == 0)
            break;
        sha256_update(&ctx, (size_t)n, chunk);
        total += n;
    }
    close(fd);
    sha256_digest(&ctx, sizeof digest, digest);
    to_hex(digest, hex);
    if (size)
        *size = total;
    return 0;
}

int archive_mkdirs(const char *path, struct errors *errors)
{
    if (!path[0]) {
        errors_add_at(errors, NULL, 0, 0, "cannot create a folder with an empty name");
        return -1;
    }
    char *copy = xstrdup(path);
    int status = 0;
    /* Each '/' after the first byte ends a parent ("/a/b": "/a", then "/a/b"). */
    for (char *p = copy + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(copy, 0755) != 0 && errno != EEXIST) {
            errors_add_at(errors, copy, 0, 0, "cannot create folder: %s", strerror(errno));
            status = -1;
            break;
        }
        *p = saved;
        if (saved == '\0')
            break;
    }
    free(copy);
    return status;
}

int archive_write_file(const char *final_path, const void *data, size_t len, struct errors *errors)
{
    /* Archived files are records: nobody should write them afterwards. */
    char *tmp = output_write_temp(final_path, data, len, ARCHIVE_FILE_MODE, errors);
    if (!tmp)
        return -1;
    int status = output_install(tmp, final_path, errors);
    if (status != 0)
        unlink(tmp);
    free(tmp);
    return status;
}

int archive_blob(const char *archive_dir, const char *src, char hex[65], struct errors *errors)
{
    struct buffer content = {0};
    if (buffer_read_file(&content, src) != 0) {
        errors_add_at(errors, src, 0, 0, "cannot read file: %s", strerror(errno));
        buffer_free(&content);
        return -1;
    }
    archive_sha256(content.data, content.len, hex);
    size_t n = strlen(archive_dir) + strlen(ARCHIVE_BLOBS) + 80;
    char *dir = xmalloc(n), *path = xmalloc(n);
    snprintf(dir, n, "%s/%s", archive_dir, ARCHIVE_BLOBS);
    snprintf(path, n, "%s/%s", dir, hex);
    int status = 0;
    struct stat st;
    /* Same name, same content: a blob once written never changes, so one
     * that exists is kept (verify checks it against its name). */
    if (stat(path, &st) != 0) {
        status = archive_mkdirs(dir, errors);
        if (status == 0)
            status = archive_write_file(path, content.data, content.len, errors);
    }
    free(dir);
    free(path);
    buffer_free(&content);
    return status;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **archive_names(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    size_t count = 0, cap = 16;
    char **names = xmalloc(cap * sizeof *names);
    for (struct dirent *e; (e = readdir(d));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (count + 2 > cap)
            names = xrealloc(names, (cap *= 2) * sizeof *names);
        names[count++] = xstrdup(e->d_name);
    }
    closedir(d);
    qsort(names, count, sizeof *names, compare_names);
    names[count] = NULL;
    return names;
}

void archive_names_free(char **names)
{
    for (size_t i = 0; names && names[i]; i++)
        free(names[i]);
    free(names);
}

static char *journal_path(const char *archive_dir)
{
    size_t n = strlen(archive_dir) + sizeof ARCHIVE_PENDING + 2;
    char *path = xmalloc(n);
    snprintf(path, n, "%s/%s", archive_dir, ARCHIVE_PENDING);
    return path;
}

int archive_journal_write(const char *archive_dir, char *const *paths, size_t count,
                          struct errors *errors)
{
    struct buffer b = {0};
    for (size_t i = 0; i < count; i++)
        buffer_printf(&b, "%s\n", paths[i]);
    char *path = journal_path(archive_dir);
    int status = archive_write_file(path, b.data, b.len, errors);
    free(path);
    buffer_free(&b);
    return status;
}

char **archive_journal_read(const char *archive_dir)
{
    char *path = journal_path(archive_dir);
    struct buffer b = {0};
    int status = buffer_read_file(&b, path);
    free(path);
    if (status != 0) {
        buffer_free(&b);
        return NULL;
    }
    size_t count = 0;
    char **lines = xcalloc(b.len + 2, sizeof *lines);
    for (char *save = NULL, *line = strtok_r(b.data, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save))
        lines[count++] = xstrdup(line);
    buffer_free(&b);
    return lines;
}

int archive_journal_remove(const char *archive_dir, struct errors *errors)
{
    char *path = journal_path(archive_dir);
    int status = 0;
    if (unlink(path) != 0 && errno != ENOENT) {
        errors_add_at(errors, path, 0, 0, "cannot remove file: %s", strerror(errno));
        status = -1;
    } else if (output_sync_parent(path) != 0) {
        errors_add_at(errors, path, 0, 0, "cannot flush folder: %s", strerror(errno));
        status = -1;
    }
    free(path);
    return status;
}
