/*
 * outdir.c - getting a feed folder ready: its subfolders, the sweep of
 * what a killed run left, and clean_output.
 *
 * clean_output deletes files, so it only ever touches a folder that is
 * provably ours: one with a state.sqlite, or one holding nothing but the
 * names we create.  A user who points output_dir at their home folder gets
 * an error, not an empty home.
 */
#include "store/internal.h"
#include "util/fs.h"
#include "log/log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const subdirs[] = { "transcripts", "metadata", "media", "runs" };
static const char *const state_files[] = { "state.sqlite", "state.sqlite-wal",
					   "state.sqlite-shm", "state.sqlite-journal" };

/*
 * Never removed by clean_output: deleting a held lock file would let a
 * second run lock a new one.
 */
#define LOCK_NAME "podcast_scraper.lock"

static bool is_our_name(const char *name)
{
	if (!strcmp(name, LOCK_NAME))
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(subdirs); i++)
		if (!strcmp(name, subdirs[i]))
			return true;
	for (size_t i = 0; i < ARRAY_SIZE(state_files); i++)
		if (!strcmp(name, state_files[i]))
			return true;
	return name[0] == '.' && strstr(name, FS_TEMP_MARK);
}

/* True when dir has a state.sqlite or holds only names we make. */
static bool looks_like_ours(const char *dir)
{
	char *state = fs_join(dir, "state.sqlite");
	bool ours = fs_exists(state);
	DIR *d = ours ? NULL : opendir(dir);
	struct dirent *de;

	free(state);
	if (ours || !d)
		return ours || !fs_exists(dir);
	ours = true;
	while (ours && (de = readdir(d)))
		ours = !strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		       is_our_name(de->d_name);
	closedir(d);
	return ours;
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

static int clean(const char *feed_dir, struct sbuf *err)
{
	int r = 0;

	if (!looks_like_ours(feed_dir)) {
		sbuf_setf(err, "refusing to clean '%s': it is not empty and has no state.sqlite, "
			  "so it does not look like a podcast_scraper output folder", feed_dir);
		return -PC_EUSAGE;
	}
	remove_parts(feed_dir);
	for (size_t i = 0; !r && i < ARRAY_SIZE(subdirs); i++)
		r = remove_path(feed_dir, subdirs[i], err);
	for (size_t i = 0; !r && i < ARRAY_SIZE(state_files); i++)
		r = remove_path(feed_dir, state_files[i], err);
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
	for (size_t i = 0; !r && i < ARRAY_SIZE(subdirs); i++) {
		char *sub = fs_join(feed_dir, subdirs[i]);

		if (strcmp(subdirs[i], "media"))   /* media/ is made when first needed */
			r = fs_mkdir_p(sub, err);
		sweep(sub, !strcmp(subdirs[i], "runs"));
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
