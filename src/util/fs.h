/*
 * fs.h - file-system helpers: bounded reads, atomic writes, directories.
 *
 * Atomic writes: fs_write_atomic() writes to "<dir>/.<name>.tmp-<pid>" in the
 * same directory, fsyncs it and renames it over the target, so a crash or a
 * kill leaves either the old file or the new one, never a torn one.  A killed
 * run may leave such temp files behind; fs_remove_temps() sweeps them (the
 * store calls it when it opens an output directory).
 */
#ifndef FS_H
#define FS_H

#include "util/pc.h"
#include "util/sbuf.h"

#define FS_TEMP_MARK ".tmp-"

/* Reads the whole file into out (appending); fails with -PC_ETOOBIG past out->max. */
int fs_read_file(const char *path, struct sbuf *out, struct sbuf *err);
int fs_write_atomic(const char *path, const void *data, size_t len, struct sbuf *err);
/* Makes the temp name fs_write_atomic would use for path (caller frees). */
char *fs_temp_name(const char *path);
/* mkdir -p; mode 0755. */
int fs_mkdir_p(const char *path, struct sbuf *err);
bool fs_exists(const char *path);
bool fs_is_dir(const char *path);
/* Removes leftover atomic-write temp files directly inside dir; returns how many. */
int fs_remove_temps(const char *dir);
/* rm -rf of dir's contents and dir itself. */
int fs_remove_tree(const char *dir);
/* "a" + "/" + "b", without doubling slashes (caller frees). */
char *fs_join(const char *a, const char *b);
/* Checks that dir exists (creating it) and a file can be written in it. */
int fs_check_writable_dir(const char *dir, struct sbuf *err);

#endif
