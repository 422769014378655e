/*
 * fs.h - file-system helpers: bounded reads, atomic writes, directories.
 *
 * Atomic writes: fs_write_atomic() writes to "<dir>/.<name>.tmp-<pid>" in the
 * same directory, fsyncs it and renames it over the target, so a crash or a
 * kill leaves either the old file or the new one, never a torn one.  A killed
 * run may leave such temp files behind; fs_remove_temps() sweeps them (the
 * store calls it when it opens an output directory).
 *
 * Durability contract:
 *  - Process crash, kill -9: every completed write survives, with or without
 *    fsync (the page cache belongs to the kernel, not to the process).
 *    Both fs_write_atomic() and fs_write_atomic_nosync() give old-or-new.
 *  - Power loss / kernel crash: only data that was fsynced is known to be
 *    on disk.  fs_write_atomic() fsyncs the file before the rename, so the
 *    target is old-or-new (the rename itself is durable once the directory
 *    is fsynced too).  After fs_write_atomic_nosync() the target may be old,
 *    new, empty or missing until fs_sync_path() on the file and then on its
 *    directory.  Callers that write many files batch those syncs before the
 *    one record that says "done" (see store.h), like a database commit.
 */
#ifndef FS_H
#define FS_H

#include "util/pc.h"
#include "util/sbuf.h"

#define FS_TEMP_MARK ".tmp-"

/* Reads the whole file into out (appending); fails with -PC_ETOOBIG past out->max. */
int fs_read_file(const char *path, struct sbuf *out, struct sbuf *err);
int fs_write_atomic(const char *path, const void *data, size_t len, struct sbuf *err);
/*
 * fs_write_atomic() without the fsync: atomic against crashes and kills,
 * not yet durable against power loss (see above).  It asks the kernel to
 * start writing the data back right away, so a later fs_sync_path()
 * mostly finds it done.
 */
int fs_write_atomic_nosync(const char *path, const void *data, size_t len, struct sbuf *err);
/*
 * fsync() of an existing file or directory by name: its data and metadata
 * (for a directory, its entries: renames and creations) reach the disk.
 * Returns 0, or -errno with a sentence in err (-ENOENT when path is gone).
 */
int fs_sync_path(const char *path, struct sbuf *err);
/*
 * syncfs() of the file system holding path: all its written data and
 * metadata reach the disk, with one journal commit and one cache flush
 * instead of one per file (data other programs wrote there too).  Returns
 * 0, -ENOSYS where there is no syncfs(), or -errno with a sentence in err.
 */
int fs_sync_fs(const char *path, struct sbuf *err);
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
