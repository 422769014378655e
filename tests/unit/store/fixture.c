/* fixture.c - the store tests' shared set-up (see fixture.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "fixture.h"
#include "util/fs.h"

int store_fixture_init(struct store_fixture *f)
{
	snprintf(f->dir, sizeof(f->dir), "%s", "/tmp/pc_test_store_XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	sbuf_init(&f->err, 4096);
	return 0;
}

void store_fixture_release(struct store_fixture *f)
{
	fs_remove_tree(f->dir);
	sbuf_release(&f->err);
}

int store_fixture_setup(void **state)
{
	struct store_fixture *f = calloc(1, sizeof(*f));

	if (store_fixture_init(f)) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

int store_fixture_teardown(void **state)
{
	store_fixture_release(*state);
	free(*state);
	return 0;
}

struct store_state *store_fixture_open(struct store_fixture *f)
{
	struct store_state *st = NULL;

	if (store_state_open(f->dir, &st, &f->err))
		fail_msg("open: %s", f->err.buf);
	return st;
}
