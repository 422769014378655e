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

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const subdirs[] = { "transcripts", "metadata", "media", "runs" };
static const char *const state_files[] = { "state.sqlite", "state.sqlite-wal",
					   "state.sqlite-shm", "state.sqlite-journal" };

static bool is_our_name(const char *name)
{
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
