/*
 * Unit tests for config_load_file()'s size caps: YAML alias expansion
 * (counted through nested anchors), anchor and alias counts, list lengths
 * and value sizes, each refused with the file and the line.
 */
#include "config/config.h"
#include "util/fs.h"
#include "util/sbuf.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

static char dir[] = "/tmp/pc_config_file_XXXXXX";

/* Loads text as the config file name; returns the loader's code, err its message. */
static int load(const char *name, const char *text, struct sbuf *err)
{
	char *path = fs_join(dir, name);
	struct config c;
	int r;

	assert_int_equal(fs_write_atomic(path, text, strlen(text), err), 0);
	config_init(&c);
	r = config_load_file(&c, path, err);
	config_release(&c);
	unlink(path);
	free(path);
	return r;
}

static void expect_refused(const char *name, const char *text, const char *needle)
{
	struct sbuf err = SBUF_INIT(4096);

	assert_int_equal(load(name, text, &err), -PC_EUSAGE);
	if (!strstr(err.buf, needle))
		fail_msg("got \"%s\", want \"%s\"", err.buf, needle);
	sbuf_release(&err);
}

static void expect_loaded(const char *name, const char *text)
{
	struct sbuf err = SBUF_INIT(4096);

	if (load(name, text, &err) < 0)
		fail_msg("refused: %s", err.buf);
	sbuf_release(&err);
}

/* 1 KB, aliased through anchored lists of ten: past 1 MiB at the fourth level. */
static void nested_aliases_refused(void **state)
{
	struct sbuf y = SBUF_INIT(1 << 16);

	(void)state;
	sbuf_adds(&y, "a0: &a0 \"");
	for (int i = 0; i < 1000; i++)
		sbuf_addch(&y, 'x');
	sbuf_adds(&y, "\"\n");
	for (int i = 1; i <= 4; i++) {
		sbuf_addf(&y, "a%d: &a%d [", i, i);
		for (int j = 0; j < 10; j++)
			sbuf_addf(&y, "%s*a%d", j ? ", " : "", i - 1);
		sbuf_adds(&y, "]\n");
	}
	sbuf_adds(&y, "known_hosts: *a4\n");
	expect_refused("nested.yaml", y.buf,
		       "nested.yaml' line 4: YAML aliases expand the file to more than "
		       "1048576 bytes");
	sbuf_release(&y);
}

static void alias_count_capped(void **state)
{
	struct sbuf y = SBUF_INIT(1 << 16);

	(void)state;
	sbuf_adds(&y, "known_hosts:\n - &h Ann\n");
	for (int i = 0; i < 1000; i++)
		sbuf_adds(&y, " - *h\n");
	expect_loaded("thousand.yaml", y.buf);
	sbuf_adds(&y, " - *h\n");
	expect_refused("more.yaml", y.buf,
		       "more.yaml' line 1003: too many YAML anchors or aliases (more than 1000)");
	sbuf_release(&y);
}

static void anchor_count_capped(void **state)
{
	struct sbuf y = SBUF_INIT(1 << 16);

	(void)state;
	sbuf_adds(&y, "known_hosts:\n");
	for (int i = 0; i <= 1000; i++)
		sbuf_addf(&y, " - &h%d n\n", i);
	expect_refused("anchors.yaml", y.buf, "anchors.yaml' line 1002: too many YAML anchors");
	sbuf_release(&y);
}

static void list_and_value_sizes_capped(void **state)
{
	struct sbuf y = SBUF_INIT(1 << 20);

	(void)state;
	sbuf_adds(&y, "{\"prefer_type\": [");
	for (int i = 0; i < 10000; i++)
		sbuf_addf(&y, "%s\"t%d\"", i ? "," : "", i);
	sbuf_adds(&y, "]}\n");
	expect_loaded("ten_thousand.json", y.buf);
	sbuf_setlen(&y, y.len - 3);
	sbuf_adds(&y, ",\"one more\"]}\n");
	expect_refused("long.json", y.buf,
		       "long.json' line 1: key 'prefer_type': list too long (10001 items, "
		       "at most 10000)");
	sbuf_reset(&y);
	sbuf_adds(&y, "workers: 2\nknown_hosts: ");
	for (int i = 0; i <= 65536; i++)
		sbuf_addch(&y, 'v');
	sbuf_addch(&y, '\n');
	expect_refused("value.yaml", y.buf,
		       "value.yaml' line 2: key 'known_hosts': value too long (65537 bytes, "
		       "at most 65536)");
	sbuf_release(&y);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nested_aliases_refused),
		cmocka_unit_test(alias_count_capped),
		cmocka_unit_test(anchor_count_capped),
		cmocka_unit_test(list_and_value_sizes_capped),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
