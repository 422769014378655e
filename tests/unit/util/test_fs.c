/* Unit tests for fs helpers: atomic writes, bounded reads, temp sweeping. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/fs.h"

static char dir[] = "/tmp/pc_test_fs_XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return fs_remove_tree(dir);
}

static void atomic_write_then_read_back(void **state)
{
	struct sbuf err = SBUF_INIT(1024), data = SBUF_INIT(1024);
	char *path = fs_join(dir, "a/b/file.txt");
	char *parent = fs_join(dir, "a/b");

	(void)state;
	assert_int_equal(fs_mkdir_p(parent, &err), 0);
	assert_int_equal(fs_write_atomic(path, "hello", 5, &err), 0);
	assert_int_equal(fs_read_file(path, &data, &err), 0);
	assert_string_equal(data.buf, "hello");
	assert_int_equal(fs_remove_temps(parent), 0);
	free(path);
	free(parent);
	sbuf_release(&err);
	sbuf_release(&data);
}

static void read_past_cap_fails_with_toobig(void **state)
{
	struct sbuf err = SBUF_INIT(1024), data = SBUF_INIT(3);
	char *path = fs_join(dir, "big.txt");

	(void)state;
	assert_int_equal(fs_write_atomic(path, "hello", 5, &err), 0);
	assert_int_equal(fs_read_file(path, &data, &err), -PC_ETOOBIG);
	assert_non_null(strstr(err.buf, "big.txt"));
	free(path);
	sbuf_release(&err);
	sbuf_release(&data);
}

static void leftover_temps_are_swept(void **state)
{
	struct sbuf err = SBUF_INIT(1024);
	char *path = fs_join(dir, "x.json");
	char *tmp = fs_temp_name(path);

	(void)state;
	assert_int_equal(fs_write_atomic(tmp, "partial", 7, &err), 0);
	assert_true(fs_exists(tmp));
	assert_int_equal(fs_remove_temps(dir), 1);
	assert_false(fs_exists(tmp));
	free(path);
	free(tmp);
	sbuf_release(&err);
}

static void missing_file_names_path(void **state)
{
	struct sbuf err = SBUF_INIT(1024), data = SBUF_INIT(1024);

	(void)state;
	assert_true(fs_read_file("/nonexistent/zzz", &data, &err) < 0);
	assert_non_null(strstr(err.buf, "/nonexistent/zzz"));
	sbuf_release(&err);
	sbuf_release(&data);
}

static void nosync_write_replaces_and_syncs_later(void **state)
{
	struct sbuf err = SBUF_INIT(1024), data = SBUF_INIT(1024);
	char *path = fs_join(dir, "n/file.txt");
	char *parent = fs_join(dir, "n");

	(void)state;
	assert_int_equal(fs_mkdir_p(parent, &err), 0);
	assert_int_equal(fs_write_atomic(path, "old", 3, &err), 0);
	assert_int_equal(fs_write_atomic_nosync(path, "new content", 11, &err), 0);
	assert_int_equal(fs_read_file(path, &data, &err), 0);
	assert_string_equal(data.buf, "new content");
	/* the temp file was renamed over the target, not left beside it */
	assert_int_equal(fs_remove_temps(parent), 0);
	assert_int_equal(fs_sync_path(path, &err), 0);
	assert_int_equal(fs_sync_path(parent, &err), 0);
	assert_int_equal(fs_sync_fs(parent, &err), 0);
	assert_int_equal(err.len, 0);
	free(path);
	free(parent);
	sbuf_release(&err);
	sbuf_release(&data);
}

static void nosync_write_into_missing_dir_fails(void **state)
{
	struct sbuf err = SBUF_INIT(1024);
	char *path = fs_join(dir, "no/such/dir/f.txt");

	(void)state;
	assert_int_equal(fs_write_atomic_nosync(path, "x", 1, &err), -ENOENT);
	assert_non_null(strstr(err.buf, "no/such/dir"));
	free(path);
	sbuf_release(&err);
}

static void sync_of_missing_path_names_it(void **state)
{
	struct sbuf err = SBUF_INIT(1024);

	(void)state;
	assert_int_equal(fs_sync_path("/nonexistent/zzz", &err), -ENOENT);
	assert_non_null(strstr(err.buf, "/nonexistent/zzz"));
	sbuf_reset(&err);
	assert_int_equal(fs_sync_fs("/nonexistent/yyy", &err), -ENOENT);
	assert_non_null(strstr(err.buf, "/nonexistent/yyy"));
	sbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(atomic_write_then_read_back),
		cmocka_unit_test(read_past_cap_fails_with_toobig),
		cmocka_unit_test(leftover_temps_are_swept),
		cmocka_unit_test(missing_file_names_path),
		cmocka_unit_test(nosync_write_replaces_and_syncs_later),
		cmocka_unit_test(nosync_write_into_missing_dir_fails),
		cmocka_unit_test(sync_of_missing_path_names_it),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
