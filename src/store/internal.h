/*
 * internal.h - helpers shared by the store's .c files; not part of the
 * module's contract (that is store.h), not to be included elsewhere.
 */
#ifndef STORE_INTERNAL_H
#define STORE_INTERNAL_H

#include "store/store.h"

#include <stdint.h>

/* JSON string of s (invalid UTF-8 bytes become U+FFFD), or null for NULL. */
json_t *store_jstr(const char *s);
/* ISO 8601 UTC string of t, or null when t <= 0. */
json_t *store_jtime(time_t t);
/* Integer, or null when v < 0 (the model's "unknown"). */
json_t *store_jcount(long long v);
/* Array of the list's strings ([] for NULL). */
json_t *store_jstrlist(const struct strlist *l);

/* "YYYY-MM-DD" of t in UTC into out[11]; false (and "0000-00-00") when unknown. */
bool store_date(time_t t, char out[11]);

/*
 * The ownership mark of a feed folder: 0 when <feed_dir>/state.sqlite has
 * this program's schema (user_version), stems then getting every episode
 * stem it records; -PC_ENOTFOUND otherwise.
 */
int store_state_stems(const char *feed_dir, struct strlist *stems);

/* A row of the episodes table, as far as its stem goes; strings owned. */
struct store_stem_row {
	char *feed_url;
	char *episode_id;
	char *stem;
};

/* Frees the n rows and the array. */
void store_stem_rows_free(struct store_stem_row *rows, size_t n);

/*
 * Every episode row of the database, whatever its feed, ordered by stem (then
 * feed and id), into *rows_out (free with store_stem_rows_free()).
 */
int store_state_stem_rows(struct store_state *st, struct store_stem_row **rows_out,
			  size_t *n_out, struct sbuf *err);

/*
 * In one transaction, gives each of the n rows its stem and the status
 * pending, inserting the rows not yet there.
 */
int store_state_claim_stems(struct store_state *st, const struct store_stem_row *rows,
			    size_t n, struct sbuf *err);

/* The feed every call of st works on (store_state_bind_feed()). */
const char *store_state_feed(const struct store_state *st);

#endif
