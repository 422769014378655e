/* fs.c - file-system helpers; see fs.h. */
#include "util/fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <ftw.h>

int fs_read_file(const char *path, struct sbuf *out, struct sbuf *err)
{
	char chunk[65536];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	int r = 0;

	if (fd < 0) {
		r = -errno;
		sbuf_setf(err, "cannot open '%s': %s", path, strerror(errno));
		return r;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			sbuf_setf(err, "cannot read '%s': %s", path, strerror(errno));
			break;
		}
		if (sbuf_add(out, chunk, (size_t)n) < 0) {
			r = -PC_ETOOBIG;
			sbuf_setf(err, "'%s' is larger than %zu bytes", path, out->max);
			break;
		}
	}
	close(fd);
	return r;
}

char *fs_temp_name(const char *path)
{
	struct sbuf sb = SBUF_INIT(SBUF_NOLIMIT);
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;

	if (slash)
		sbuf_add(&sb, path, (size_t)(base - path));
	sbuf_addf(&sb, ".%s%s%ld", base, FS_TEMP_MARK, (long)getpid());
	return sbuf_detach(&sb, NULL);
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Starts writeback of what fd holds without waiting for it. */
static void start_writeback(int fd)
{
#ifdef SYNC_FILE_RANGE_WRITE
	sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#else
	(void)fd;
#endif
}

static int write_atomic(const char *path, const void *data, size_t len, bool sync,
			struct sbuf *err)
{
	char *tmp = fs_temp_name(path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int r;

	if (fd < 0) {
		r = -errno;
		sbuf_setf(err, "cannot create '%s': %s", tmp, strerror(errno));
		free(tmp);
		return r;
	}
	r = write_all(fd, data, len);
	if (!r && sync && fsync(fd) < 0)
		r = -errno;
	if (!r && !sync)
		start_writeback(fd);
	if (close(fd) < 0 && !r)
		r = -errno;
	if (!r && rename(tmp, path) < 0)
		r = -errno;
	if (r) {
		sbuf_setf(err, "cannot write '%s': %s", path, strerror(-r));
		unlink(tmp);
	}
	free(tmp);
	return r;
}

int fs_write_atomic(const char *path, const void *data, size_t len, struct sbuf *err)
{
	return write_atomic(path, data, len, true, err);
}

int fs_write_atomic_nosync(const char *path, const void *data, size_t len, struct sbuf *err)
{
	return write_atomic(path, data, len, false, err);
}

/* Opens path and applies sync (fsync or syncfs) to it; what names the failure. */
static int sync_with(const char *path, int (*sync)(int), const char *what, struct sbuf *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int r = 0;

	if (fd < 0) {
		r = -errno;
		sbuf_setf(err, "cannot open '%s' to sync it: %s", path, strerror(errno));
		return r;
	}
	if (sync(fd) < 0) {
		r = -errno;
		if (r != -ENOSYS)
			sbuf_setf(err, "cannot sync %s'%s' to disk: %s", what, path,
				  strerror(errno));
	}
	close(fd);
	return r;
}

int fs_sync_path(const char *path, struct sbuf *err)
{
	return sync_with(path, fsync, "", err);
}

int fs_sync_fs(const char *path, struct sbuf *err)
{
	return sync_with(path, syncfs, "the file system of ", err);
}

int fs_mkdir_p(const char *path, struct sbuf *err)
{
	char *copy = pc_strdup(path);
	int r = 0;

	for (char *p = copy + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;

		*p = '\0';
		if (mkdir(copy, 0755) < 0 && errno != EEXIST) {
			r = -errno;
			sbuf_setf(err, "cannot create directory '%s': %s", copy, strerror(errno));
			break;
		}
		*p = saved;
		if (!saved)
			break;
	}
	if (!r && !fs_is_dir(path)) {
		r = -ENOTDIR;
		sbuf_setf(err, "'%s' exists and is not a directory", path);
	}
	free(copy);
	return r;
}

bool fs_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

bool fs_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int fs_remove_temps(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int removed = 0;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] != '.' || !strstr(de->d_name, FS_TEMP_MARK))
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) == 0)
			removed++;
	}
	closedir(d);
	return removed;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int fs_remove_tree(const char *dir)
{
	if (!fs_exists(dir))
		return 0;
	return nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS) < 0 ? -errno : 0;
}

char *fs_join(const char *a, const char *b)
{
	struct sbuf sb = SBUF_INIT(SBUF_NOLIMIT);
	size_t alen = strlen(a);

	sbuf_add(&sb, a, alen);
	if (alen && a[alen - 1] != '/')
		sbuf_addch(&sb, '/');
	while (*b == '/')
		b++;
	sbuf_adds(&sb, b);
	return sbuf_detach(&sb, NULL);
}

int fs_check_writable_dir(const char *dir, struct sbuf *err)
{
	char *probe;
	int r = fs_mkdir_p(dir, err);

	if (r < 0)
		return r;
	probe = fs_join(dir, ".write-probe");
	r = fs_write_atomic(probe, "", 0, err);
	if (!r)
		unlink(probe);
	free(probe);
	return r;
}
