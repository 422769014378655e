/*
 * fixture.h - what the store's unit tests share: a fresh temporary folder
 * and an error buffer for each test, and the state database opened in it.
 */
#ifndef TEST_STORE_FIXTURE_H
#define TEST_STORE_FIXTURE_H

#include "store/store.h"

struct store_fixture {
	char dir[64];           /* removed with everything in it at the end */
	struct sbuf err;
};

/* Makes the folder and the buffer; -1 when the folder cannot be made. */
int store_fixture_init(struct store_fixture *f);
void store_fixture_release(struct store_fixture *f);

/* cmocka setup/teardown for tests whose state is a struct store_fixture. */
int store_fixture_setup(void **state);
int store_fixture_teardown(void **state);

/* The state database of f->dir, opened (the test fails if it cannot be). */
struct store_state *store_fixture_open(struct store_fixture *f);

#endif
