/*
 * outdir.c - getting a feed folder ready: its subfolders, the sweep of
 * what a killed run left, and clean_output.
 *
 * clean_output deletes files, so it only ever touches a folder that is
 * provably ours: one whose state.sqlite has our schema.  Even there it
 * deletes only what we write (transcripts/, metadata/, runs/, the state
 * files and media/<stem>.* of the stems the state records), so a user's
 * media/precious.mp3 survives and a user who points output_dir at their
 * home folder gets an error, not an empty home.
 */
#include "store/internal.h"
#include "util/fs.h"
#include "util/strlist.h"
#include "log/log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* NULL stands for store_metadata_dir(), which the user may choose. */
static const char *const folders[] = { "transcripts", NULL, "media", "runs" };

static const char *subdir(size_t i)
{
	return folders[i] ? folders[i] : store_metadata_dir();
}
static const char *const state_files[] = { "state.sqlite", "state.sqlite-wal",
					   "state.sqlite-shm", "state.sqlite-journal" };

/*
 * Never removed by clean_output: deleting a held lock file would let a
 * second run lock a new one.
 */
#define LOCK_NAME "podcast_scraper.lock"

/* True when dir is missing or holds nothing but our lock file. */
static bool is_bare(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	bool bare = true;

	if (!d)
		return !fs_exists(dir);
	while (bare && (de = readdir(d)))
		bare = !strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		       !strcmp(de->d_name, LOCK_NAME);
	closedir(d);
	return bare;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* Deletes *.part files directly inside dir. */
static void remove_parts(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d)))
		if (has_suffix(de->d_name, ".part"))
			unlinkat(dirfd(d), de->d_name, 0);
	closedir(d);
}

static int remove_path(const char *dir, const char *name, struct sbuf *err)
{
	char *path = fs_join(dir, name);
	int r = fs_is_dir(path) ? fs_remove_tree(path) :
		(unlink(path) < 0 && errno != ENOENT ? -errno : 0);

	if (r < 0)
		sbuf_setf(err, "cannot remove '%s' for clean_output: %s", path, strerror(-r));
	free(path);
	return r;
}

/* Deletes media/<stem>.* of our stems only: media/ may hold the user's own files. */
static int clean_media(const char *feed_dir, const struct strlist *stems, struct sbuf *err)
{
	char *media = fs_join(feed_dir, "media");
	DIR *d = opendir(media);
	struct dirent *de;
	int r = 0;

	while (!r && d && (de = readdir(d)))
		for (size_t i = 0; !r && i < stems->nr; i++) {
			size_t n = strlen(stems->items[i]);

			if (!strncmp(de->d_name, stems->items[i], n) && de->d_name[n] == '.')
				r = remove_path(media, de->d_name, err);
		}
	if (d)
		closedir(d);
	if (!r)
		rmdir(media);   /* kept when the user's files remain */
	free(media);
	return r;
}

static int clean(const char *feed_dir, struct sbuf *err)
{
	struct strlist stems = STRLIST_INIT;
	int r = store_state_stems(feed_dir, &stems);

	if (r) {
		strlist_release(&stems);
		if (is_bare(feed_dir))
			return 0;
		sbuf_setf(err, "refusing to clean '%s': it has no state.sqlite written by "
			  "podcast_scraper, so it is not one of its output folders; nothing was "
			  "deleted", feed_dir);
		return -PC_EUSAGE;
	}
	remove_parts(feed_dir);
	r = clean_media(feed_dir, &stems, err);
	for (size_t i = 0; !r && i < ARRAY_SIZE(folders); i++)
		if (strcmp(subdir(i), "media"))
			r = remove_path(feed_dir, subdir(i), err);
	for (size_t i = 0; !r && i < ARRAY_SIZE(state_files); i++)
		r = remove_path(feed_dir, state_files[i], err);
	strlist_release(&stems);
	return r;
}

/* Removes temps left by killed runs in dir and, one level down, in runs/<id>/. */
static void sweep(const char *dir, bool recurse)
{
	DIR *d;
	struct dirent *de;

	fs_remove_temps(dir);
	if (!recurse || !(d = opendir(dir)))
		return;
	while ((de = readdir(d))) {
		char *sub;

		if (de->d_name[0] == '.')
			continue;
		sub = fs_join(dir, de->d_name);
		if (fs_is_dir(sub))
			fs_remove_temps(sub);
		free(sub);
	}
	closedir(d);
}

int store_feed_dir_prepare(const char *feed_dir, bool clean_output, struct sbuf *err)
{
	int r = clean_output ? clean(feed_dir, err) : 0;

	if (!r)
		r = fs_mkdir_p(feed_dir, err);
	sweep(feed_dir, false);
	for (size_t i = 0; !r && i < ARRAY_SIZE(folders); i++) {
		char *sub = fs_join(feed_dir, subdir(i));

		if (strcmp(subdir(i), "media"))   /* media/ is made when first needed */
			r = fs_mkdir_p(sub, err);
		sweep(sub, !strcmp(subdir(i), "runs"));
		free(sub);
	}
	return r;
}

/* The pid the holder wrote into the lock file, as text ("?" when unreadable). */
static void read_holder(int fd, char *buf, size_t size)
{
	ssize_t n = pread(fd, buf, size - 1, 0);

	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (!buf[0])
		snprintf(buf, size, "?");
}

static int take_lock(int fd, const char *path, bool wait, struct sbuf *err)
{
	char holder[32];

	if (!flock(fd, LOCK_EX | LOCK_NB))
		return 0;
	if (errno != EWOULDBLOCK) {
		sbuf_setf(err, "cannot lock '%s': %s", path, strerror(errno));
		return -errno;
	}
	read_holder(fd, holder, sizeof(holder));
	if (!wait) {
		sbuf_setf(err, "feed folder is in use by another run (pid %s holds '%s'); "
			  "let it finish, or pass --wait-lock to wait for it", holder, path);
		return -PC_EUSAGE;
	}
	log_info("write", "waiting for pid %s to release '%s'", holder, path);
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR) {
			sbuf_setf(err, "cannot lock '%s': %s", path, strerror(errno));
			return -errno;
		}
	return 0;
}

int store_feed_dir_lock(const char *feed_dir, bool wait, int *fd_out, struct sbuf *err)
{
	char *path = fs_join(feed_dir, LOCK_NAME);
	int fd = -1, r = fs_mkdir_p(feed_dir, err);
	char pid[32];

	if (!r && (fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0) {
		r = -errno;
		sbuf_setf(err, "cannot open '%s': %s", path, strerror(errno));
	}
	if (!r)
		r = take_lock(fd, path, wait, err);
	if (!r) {
		int n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());

		if (ftruncate(fd, 0) < 0 || pwrite(fd, pid, (size_t)n, 0) != n)
			log_warn("write", "cannot record the pid in '%s': %s", path, strerror(errno));
	}
	free(path);
	if (r && fd >= 0)
		close(fd);
	*fd_out = r ? -1 : fd;
	return r;
}
