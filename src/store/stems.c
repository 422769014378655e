/*
 * stems.c - stems unique within a feed folder (store_state_reserve_stems()).
 *
 * A stem ends with 6 hex digits of the id's hash, so two episodes with the
 * same date and title collide once in 16.7 million pairs: a feed of 6,000
 * undated "Weekly update"s has about one such pair, and before this check the
 * second episode's files silently replaced the first's.  The state knows the
 * stem of every episode it has seen; a newcomer whose stem is taken gets more
 * digits of its own hash, which no other episode's stem is likely to share,
 * and is recorded before any work starts, so two colliding newcomers of one
 * run never write the same files, and the next run reads the stem back.
 */
#include "store/internal.h"
#include "util/hash.h"

#include <search.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DIGITS (HASH_SHA1_HEX - 1)

/* What one row of the state becomes. */
struct rec {
	const struct store_stem_row *row;
	const char *stem;      /* its stem after repairs (borrowed) */
	bool redo;             /* it shared its stem: set pending */
};

struct reserve {
	struct store_stem_row *rows;  /* the state, ordered by stem */
	size_t nr_rows;
	struct rec *recs;             /* one per row */
	void *taken;                  /* tsearch tree of every stem given (borrowed) */
	void *own;                    /* recs of the bound feed, by episode id */
	void *planned;                /* plan entries, by episode id */
	const char *feed_url;
	struct store_stem_plan *plan;
	size_t nr_plan;
	struct store_stem_row *claims; /* rows to record (owned) */
	size_t nr_claims;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int cmp_rec(const void *a, const void *b)
{
	return strcmp(((const struct rec *)a)->row->episode_id,
		      ((const struct rec *)b)->row->episode_id);
}

static int cmp_plan(const void *a, const void *b)
{
	return strcmp(((const struct store_stem_plan *)a)->episode_id,
		      ((const struct store_stem_plan *)b)->episode_id);
}

static void no_free(void *p)
{
	(void)p;
}

/* tsearch() fails only when out of memory, which the allocator treats as fatal too. */
static void tree_add(const void *key, void **root, int (*cmp)(const void *, const void *))
{
	if (!tsearch(key, root, cmp))
		BUG("out of memory");
}

static bool is_taken(struct reserve *rs, const char *stem)
{
	return tfind(stem, &rs->taken, cmp_str) != NULL;
}

static void take(struct reserve *rs, const char *stem)
{
	tree_add(stem, &rs->taken, cmp_str);
}

/* The first free stem of prefix and id: more digits, then a counter. */
static char *fresh_stem(struct reserve *rs, const char *prefix, const char *id)
{
	struct sbuf sb = SBUF_INIT(SBUF_NOLIMIT);
	char *full;

	for (int d = STORE_ID_DIGITS; d <= MAX_DIGITS; d++) {
		char *stem = store_stem_join(prefix, id, d);

		if (!is_taken(rs, stem))
			return stem;
		free(stem);
	}
	/* the same id again, e.g. one guid in two feeds written to one folder */
	full = store_stem_join(prefix, id, MAX_DIGITS);
	for (long k = 2;; k++) {
		sbuf_setf(&sb, "%s-%ld", full, k);
		if (!is_taken(rs, sb.buf))
			break;
	}
	free(full);
	return sbuf_detach(&sb, NULL);
}

/* The part of a recorded stem before its digits. */
static char *prefix_of(const char *stem)
{
	const char *us = strrchr(stem, '_');

	return pc_strndup(stem, us ? (size_t)(us - stem) : strlen(stem));
}

static void claim(struct reserve *rs, const char *feed_url, const char *id, const char *stem)
{
	struct store_stem_row *c = &rs->claims[rs->nr_claims++];

	c->feed_url = pc_strdup(feed_url);
	c->episode_id = pc_strdup(id);
	c->stem = pc_strdup(stem);
}

/* The plan's place of the row's episode, or n when it is not planned. */
static size_t plan_index(struct reserve *rs, const struct rec *rec)
{
	struct store_stem_plan key = { .episode_id = rec->row->episode_id };
	void *hit;

	if (strcmp(rec->row->feed_url, rs->feed_url) ||
	    !(hit = tfind(&key, &rs->planned, cmp_plan)))
		return rs->nr_plan;
	return (size_t)(*(struct store_stem_plan **)hit - rs->plan);
}

/* Of the recs [from, to) sharing one stem, the one that keeps it. */
static size_t keeper(struct reserve *rs, size_t from, size_t to)
{
	size_t best = from, best_pos = plan_index(rs, &rs->recs[from]);

	for (size_t i = from + 1; i < to; i++) {
		size_t pos = plan_index(rs, &rs->recs[i]);

		if (pos < best_pos) {
			best = i;
			best_pos = pos;
		}
	}
	return best;
}

/* Recs [from, to) share one stem: one keeps it, the others get fresh ones. */
static void repair_group(struct reserve *rs, size_t from, size_t to)
{
	size_t keep = keeper(rs, from, to);

	for (size_t i = from; i < to; i++) {
		struct rec *rec = &rs->recs[i];

		rec->redo = true;
		if (i != keep) {
			char *prefix = prefix_of(rec->row->stem);
			char *stem = fresh_stem(rs, prefix, rec->row->episode_id);

			claim(rs, rec->row->feed_url, rec->row->episode_id, stem);
			rec->stem = rs->claims[rs->nr_claims - 1].stem;
			take(rs, rec->stem);
			free(prefix);
			free(stem);
		} else {
			claim(rs, rec->row->feed_url, rec->row->episode_id, rec->stem);
		}
	}
}

static void repair_shared(struct reserve *rs)
{
	size_t from = 0;

	for (size_t i = 1; i <= rs->nr_rows; i++) {
		if (i < rs->nr_rows && !strcmp(rs->rows[i].stem, rs->rows[from].stem))
			continue;
		if (i - from > 1 && *rs->rows[from].stem)
			repair_group(rs, from, i);
		from = i;
	}
}

static void index_rows(struct reserve *rs)
{
	rs->recs = pc_calloc(rs->nr_rows ? rs->nr_rows : 1, sizeof(*rs->recs));
	for (size_t i = 0; i < rs->nr_rows; i++) {
		struct rec *rec = &rs->recs[i];

		rec->row = &rs->rows[i];
		rec->stem = rs->rows[i].stem;
		if (!*rec->stem)
			continue;   /* no stem recorded: the episode is a newcomer */
		take(rs, rec->stem);
		if (!strcmp(rec->row->feed_url, rs->feed_url))
			tree_add(rec, &rs->own, cmp_rec);
	}
	for (size_t i = 0; i < rs->nr_plan; i++)
		tree_add(&rs->plan[i], &rs->planned, cmp_plan);
}

/* The stem of one episode of the plan: recorded, else the first free one. */
static void assign(struct reserve *rs, struct store_stem_plan *p)
{
	struct store_stem_row row = { .episode_id = (char *)p->episode_id };  /* only read */
	struct rec key = { .row = &row };
	void *hit = tfind(&key, &rs->own, cmp_rec);
	char *base, *prefix;

	if (hit) {
		const struct rec *rec = *(struct rec **)hit;

		p->stem = pc_strdup(rec->stem);
		p->redo = rec->redo;
		return;
	}
	prefix = store_stem_prefix(p->ep);
	base = store_stem_join(prefix, p->episode_id, STORE_ID_DIGITS);
	p->stem = fresh_stem(rs, prefix, p->episode_id);
	p->lengthened = strcmp(p->stem, base) != 0;
	take(rs, p->stem);
	claim(rs, rs->feed_url, p->episode_id, p->stem);
	free(base);
	free(prefix);
}

static void reserve_release(struct reserve *rs)
{
	tdestroy(rs->taken, no_free);
	tdestroy(rs->own, no_free);
	tdestroy(rs->planned, no_free);
	free(rs->recs);
	store_stem_rows_free(rs->rows, rs->nr_rows);
	store_stem_rows_free(rs->claims, rs->nr_claims);
}

/* The stems of the plan; recorded in st when record. */
static int reserve(struct store_state *st, struct store_stem_plan *plan, size_t n, bool record,
		   struct sbuf *err)
{
	struct reserve rs = { .plan = plan, .nr_plan = n, .feed_url = "" };
	int r = 0;

	for (size_t i = 0; i < n; i++) {
		plan[i].stem = NULL;
		plan[i].lengthened = plan[i].redo = false;
	}
	if (st) {
		rs.feed_url = store_state_feed(st);
		r = store_state_stem_rows(st, &rs.rows, &rs.nr_rows, err);
	}
	if (!r) {
		rs.claims = pc_calloc(rs.nr_rows + n + 1, sizeof(*rs.claims));
		index_rows(&rs);
		repair_shared(&rs);
		for (size_t i = 0; i < n; i++)
			assign(&rs, &plan[i]);
		if (st && record)
			r = store_state_claim_stems(st, rs.claims, rs.nr_claims, err);
	}
	for (size_t i = 0; r && i < n; i++)
		pc_freep(&plan[i].stem);
	reserve_release(&rs);
	return r;
}

int store_state_reserve_stems(struct store_state *st, struct store_stem_plan *plan, size_t n,
			      struct sbuf *err)
{
	return reserve(st, plan, n, true, err);
}

int store_state_preview_stems(struct store_state *st, struct store_stem_plan *plan, size_t n,
			      struct sbuf *err)
{
	return reserve(st, plan, n, false, err);
}
