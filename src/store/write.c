/*
 * write.c - writing the files of a feed folder, and making them durable.
 *
 * Files are written with fs_write_atomic_nosync(): temp file + rename, so a
 * crash or kill -9 leaves the old file or the new one.  Their fsyncs are
 * deferred: each written path is remembered, and store_sync() (called by
 * store_state_set() before it records an episode as done) fsyncs them all,
 * then their folders, in one batch.  So after a power loss an episode whose
 * "done" row survived has all its files on disk, and one whose files did
 * not survive is redone by the next run.  One batch per episode instead of
 * one fsync per file lets the disk write the data back while the next
 * download is parsed, instead of stalling the event loop after every file.
 */
#include "store/internal.h"
#include "util/fs.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Paths written but not yet fsynced, process-wide (any feed folder). */
static struct {
	pthread_mutex_t lock;   /* held during a whole sync: see store_sync() */
	char **paths;
	size_t nr, alloc;
} pending = { PTHREAD_MUTEX_INITIALIZER, NULL, 0, 0 };

static void pending_add(const char *path)
{
	pthread_mutex_lock(&pending.lock);
	PC_GROW(pending.paths, pending.alloc, pending.nr + 1);
	pending.paths[pending.nr++] = pc_strdup(path);
	pthread_mutex_unlock(&pending.lock);
}

int store_write_file(const char *feed_dir, const char *relpath,
		     const void *data, size_t len, struct sbuf *err)
{
	char *path = fs_join(feed_dir, relpath);
	char *slash = strrchr(path, '/');
	int r = 0;

	/* the folder exists nearly always: one stat() instead of a mkdir() a level */
	if (slash) {
		*slash = '\0';
		if (!fs_is_dir(path))
			r = fs_mkdir_p(path, err);
		*slash = '/';
	}
	if (!r)
		r = fs_write_atomic_nosync(path, data, len, err);
	if (!r)
		pending_add(path);
	free(path);
	return r;
}

/* The folder part of path (caller frees); "." when there is none. */
static char *parent_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;

	if (!slash)
		return pc_strdup(".");
	if (slash == path)
		return pc_strdup("/");
	dir = pc_malloc((size_t)(slash - path) + 1);
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	return dir;
}

/* Syncs path unless it is gone (a later clean or rewrite removed it). */
static int sync_one(const char *path, struct sbuf *err)
{
	int r = fs_sync_path(path, err);

	return r == -ENOENT ? 0 : r;
}

/* The portable way: fsync of each file, then of their distinct folders
 * (which makes the renames durable). */
static int sync_each(char **paths, size_t nr, struct sbuf *err)
{
	struct strlist dirs = STRLIST_INIT;
	int r = 0;

	for (size_t i = 0; !r && i < nr; i++) {
		char *dir = parent_dir(paths[i]);

		if (!strlist_has(&dirs, dir))
			strlist_push(&dirs, dir);
		free(dir);
		r = sync_one(paths[i], err);
	}
	for (size_t i = 0; !r && i < dirs.nr; i++)
		r = sync_one(dirs.items[i], err);
	strlist_release(&dirs);
	return r;
}

/*
 * One syncfs() per file system the paths live on: one journal commit and
 * one disk cache flush for the whole batch, where sync_each() pays both for
 * every file and folder (about 4 ms each on a virtual disk).  -ENOSYS when
 * the system has no syncfs().
 */
static int sync_file_systems(char **paths, size_t nr, struct sbuf *err)
{
	dev_t *done = pc_calloc(nr, sizeof(*done));
	size_t nr_done = 0;
	int r = 0;

	for (size_t i = 0; !r && i < nr; i++) {
		struct stat st;
		size_t j = 0;

		if (stat(paths[i], &st) < 0)
			continue;   /* gone: nothing to sync */
		while (j < nr_done && done[j] != st.st_dev)
			j++;
		if (j < nr_done)
			continue;
		done[nr_done++] = st.st_dev;
		r = fs_sync_fs(paths[i], err);
	}
	free(done);
	return r;
}

/* Drops every pending path (they are durable now). */
static void pending_clear(void)
{
	for (size_t i = 0; i < pending.nr; i++)
		free(pending.paths[i]);
	pending.nr = 0;
}

int store_sync(struct sbuf *err)
{
	int r = 0;

	/*
	 * The lock is held across the syncs: a thread that finds the list
	 * empty must not record "done" while another thread is still syncing
	 * that thread's files.
	 */
	pthread_mutex_lock(&pending.lock);
	if (pending.nr) {
		r = sync_file_systems(pending.paths, pending.nr, err);
		if (r == -ENOSYS)
			r = sync_each(pending.paths, pending.nr, err);
	}
	/* on failure keep every path: the next caller retries them all */
	if (!r)
		pending_clear();
	pthread_mutex_unlock(&pending.lock);
	return r;
}
