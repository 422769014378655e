/* Unit tests for store_state_reserve_stems(): unique, recorded, stable stems. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "store/store.h"
#include "util/fs.h"
#include "util/hash.h"

/* 6,000 undated "Weekly update"s, ids tag:example.org,2026:weekly/N */
#define NR_WEEKLY 6000

struct fixture {
	struct store_fixture base;  /* dir, err */
	struct episode ep;          /* one episode shared by every plan entry */
	char **ids;
	struct store_stem_plan *plan;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (store_fixture_init(&f->base))
		return -1;
	f->ep.title = "Weekly update";
	f->ids = calloc(NR_WEEKLY, sizeof(*f->ids));
	f->plan = calloc(NR_WEEKLY, sizeof(*f->plan));
	for (int i = 0; i < NR_WEEKLY; i++) {
		if (asprintf(&f->ids[i], "tag:example.org,2026:weekly/%d", i + 1) < 0)
			return -1;
	}
	*state = f;
	return 0;
}

static void release_stems(struct fixture *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pc_freep(&f->plan[i].stem);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	release_stems(f, NR_WEEKLY);
	for (int i = 0; i < NR_WEEKLY; i++)
		free(f->ids[i]);
	free(f->ids);
	free(f->plan);
	store_fixture_release(&f->base);
	free(f);
	return 0;
}

/* The plan of ids[order[0..n)] (order NULL: 0..n-1), reserved in st. */
static void reserve(struct fixture *f, struct store_state *st, size_t n, const size_t *order)
{
	for (size_t i = 0; i < n; i++) {
		f->plan[i].ep = &f->ep;
		f->plan[i].episode_id = f->ids[order ? order[i] : i];
	}
	if (store_state_reserve_stems(st, f->plan, n, &f->base.err))
		fail_msg("reserve: %s", f->base.err.buf);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void no_free(void *p)
{
	(void)p;
}

/* How many of the plan's stems are distinct. */
static size_t distinct_stems(struct fixture *f, size_t n)
{
	void *root = NULL;
	size_t count = 0;

	for (size_t i = 0; i < n; i++) {
		if (*(char **)tsearch(f->plan[i].stem, &root, cmp_str) == f->plan[i].stem)
			count++;
	}
	tdestroy(root, no_free);
	return count;
}

/* Ids of the plan whose sha1 shares its first 6 hex digits with an earlier one. */
static size_t expected_collisions(struct fixture *f, size_t n)
{
	char (*hex)[7] = calloc(n, sizeof(*hex));
	void *root = NULL;
	size_t count = 0;

	for (size_t i = 0; i < n; i++) {
		char full[HASH_SHA1_HEX];

		hash_sha1_hex(f->ids[i], strlen(f->ids[i]), full);
		memcpy(hex[i], full, 6);
		if (*(char **)tsearch(hex[i], &root, cmp_str) != hex[i])
			count++;
	}
	tdestroy(root, no_free);
	free(hex);
	return count;
}

static size_t count_lengthened(struct fixture *f, size_t n)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i++)
		count += f->plan[i].lengthened;
	return count;
}

static void weekly_updates_all_distinct(void **state)
{
	struct fixture *f = *state;
	struct store_state *st = store_fixture_open(&f->base);
	size_t collisions = expected_collisions(f, NR_WEEKLY);

	/* the test means something only when 6 digits do collide here */
	assert_true(collisions > 0);
	reserve(f, st, NR_WEEKLY, NULL);
	assert_int_equal(distinct_stems(f, NR_WEEKLY), NR_WEEKLY);
	assert_int_equal(count_lengthened(f, NR_WEEKLY), collisions);
	for (size_t i = 0; i < NR_WEEKLY; i++) {
		char *usual = store_episode_stem(&f->ep, f->plan[i].episode_id);

		/* the usual stem whenever it is free; a longer one of the same id otherwise */
		if (!f->plan[i].lengthened)
			assert_string_equal(f->plan[i].stem, usual);
		else
			assert_memory_equal(f->plan[i].stem, usual, strlen(usual));
		free(usual);
	}
	assert_int_equal(store_state_count(st, STORE_PENDING, &f->base.err), NR_WEEKLY);
	store_state_close(st);
}

/* A rerun, in any feed order, gives every episode the stem it was given. */
static void stems_are_stable(void **state)
{
	struct fixture *f = *state;
	struct store_state *st = store_fixture_open(&f->base);
	char **first = calloc(NR_WEEKLY, sizeof(*first));
	size_t *reversed = calloc(NR_WEEKLY, sizeof(*reversed));

	reserve(f, st, NR_WEEKLY, NULL);
	for (size_t i = 0; i < NR_WEEKLY; i++) {
		first[i] = f->plan[i].stem;
		f->plan[i].stem = NULL;
		reversed[i] = NR_WEEKLY - 1 - i;
	}
	store_state_close(st);
	st = store_fixture_open(&f->base);
	reserve(f, st, NR_WEEKLY, reversed);
	for (size_t i = 0; i < NR_WEEKLY; i++) {
		assert_string_equal(f->plan[i].stem, first[reversed[i]]);
		assert_false(f->plan[i].lengthened);
		assert_false(f->plan[i].redo);
	}
	for (size_t i = 0; i < NR_WEEKLY; i++)
		free(first[i]);
	free(first);
	free(reversed);
	store_state_close(st);
}

/* Without a database (a dry run) the plan alone is kept unique. */
static void dry_run_unique_in_plan(void **state)
{
	struct fixture *f = *state;
	char *path;

	reserve(f, NULL, NR_WEEKLY, NULL);
	assert_int_equal(distinct_stems(f, NR_WEEKLY), NR_WEEKLY);
	path = fs_join(f->base.dir, "state.sqlite");

	assert_false(fs_exists(path));
	free(path);
}

/* Rows that share a stem (an older version wrote them) are split and redone. */
static void shared_recorded_stem_is_split(void **state)
{
	struct fixture *f = *state;
	struct store_state *st = store_fixture_open(&f->base);
	char *stem = store_episode_stem(&f->ep, f->ids[0]);

	for (int i = 0; i < 2; i++)
		assert_int_equal(store_state_set(st, f->ids[i], stem, STORE_DONE, NULL, NULL,
						 "direct_download", &f->base.err), 0);
	reserve(f, st, 3, NULL);
	assert_string_equal(f->plan[0].stem, stem);
	assert_true(f->plan[0].redo);
	assert_string_not_equal(f->plan[1].stem, stem);
	assert_true(f->plan[1].redo);
	assert_false(f->plan[2].redo);
	assert_int_equal(distinct_stems(f, 3), 3);
	assert_int_equal(store_state_count(st, STORE_DONE, &f->base.err), 0);
	release_stems(f, 3);
	/* repaired once: the next reservation finds nothing to redo */
	reserve(f, st, 3, NULL);
	for (int i = 0; i < 3; i++)
		assert_false(f->plan[i].redo);
	free(stem);
	store_state_close(st);
}

/* One id recorded by two feeds in one folder: every length taken, a counter ends it. */
static void same_id_in_two_feeds(void **state)
{
	struct fixture *f = *state;
	struct store_state *st = store_fixture_open(&f->base);
	char *prefix = store_stem_prefix(&f->ep);
	char *longest = store_stem_join(prefix, f->ids[0], 40);
	char *expect = NULL;

	store_state_bind_feed(st, "https://a.example/feed");
	for (int d = 6; d <= 40; d++) {
		char *s = store_stem_join(prefix, f->ids[0], d), *id = NULL;

		assert_true(asprintf(&id, "other-%d", d) > 0);
		assert_int_equal(store_state_set(st, id, s, STORE_DONE, NULL, NULL, NULL, &f->base.err), 0);
		free(s);
		free(id);
	}
	store_state_bind_feed(st, "https://b.example/feed");
	reserve(f, st, 1, NULL);
	assert_true(asprintf(&expect, "%s-2", longest) > 0);
	assert_string_equal(f->plan[0].stem, expect);
	assert_true(f->plan[0].lengthened);
	free(expect);
	free(longest);
	free(prefix);
	store_state_close(st);
}

/* A row without a stem gets the usual one, recorded. */
static void empty_recorded_stem_is_given_one(void **state)
{
	struct fixture *f = *state;
	struct store_state *st = store_fixture_open(&f->base);
	struct store_episode_state es = STORE_EPISODE_STATE_INIT;
	char *usual = store_episode_stem(&f->ep, f->ids[0]);

	assert_int_equal(store_state_set(st, f->ids[0], "", STORE_FAILED, "download", "x",
					 NULL, &f->base.err), 0);
	reserve(f, st, 1, NULL);
	assert_string_equal(f->plan[0].stem, usual);
	assert_int_equal(store_state_get(st, f->ids[0], &es, &f->base.err), 0);
	assert_string_equal(es.stem, usual);
	store_episode_state_release(&es);
	free(usual);
	store_state_close(st);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(weekly_updates_all_distinct),
		T(stems_are_stable),
		T(dry_run_unique_in_plan),
		T(shared_recorded_stem_is_split),
		T(same_id_in_two_feeds),
		T(empty_recorded_stem_is_given_one),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
