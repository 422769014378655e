/*
 * diarize_cluster.c - speaker-change points inside an utterance and
 * agglomerative clustering of the pieces, both by delta-BIC over
 * full-covariance Gaussians (Chen and Gopalakrishnan's criterion).
 */
#include "diarize/internal.h"
#include "audio/audio.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW 100          /* frames either side of a candidate change (1 s) */
#define MIN_SIDE 60         /* frames a side needs at least */
#define STEP 5              /* candidate spacing (50 ms) */
#define MIN_GAP 80          /* two changes are at least this far apart */
#define HINT_FACTOR 1.3     /* penalty weight while there are more voices than the hint */
#define LINEAR_GAP 1.5      /* seconds between segments a group may bridge */
#define MIN_VOICE_FRAMES 150   /* a voice with less speech joins its nearest */
#define JUDGE_FRAMES 1500      /* speech frames to judge a cluster's voice by */
#define SAME_VOICE_DIVERGENCE 0.2   /* nats a frame (dz_divergence): below, one voice */
#define OTHER_VOICE_DIVERGENCE 0.5  /* and above, surely two */

/* ---- change points ------------------------------------------------------ */

static struct dz_stats *prefix_stats(const struct dz_frames *f)
{
	struct dz_stats *p = pc_calloc(f->nr + 1, sizeof(*p));

	for (size_t i = 0; i < f->nr; i++) {
		p[i + 1] = p[i];
		dz_stats_add_frame(&p[i + 1], f->x[i]);
	}
	return p;
}

static double change_score(const struct dz_stats *p, size_t m, size_t t, double lambda)
{
	struct dz_stats l, r;
	size_t a = t > WINDOW ? t - WINDOW : 0, b = t + WINDOW < m ? t + WINDOW : m;

	dz_stats_diff(&l, &p[t], &p[a]);
	dz_stats_diff(&r, &p[b], &p[t]);
	return dz_delta_bic(&l, &r, lambda);
}

/* Greedy peak picking: the best remaining score, then its neighbours out. */
static size_t pick_changes(double *score, size_t nc, size_t *out, size_t max)
{
	size_t n = 0;

	while (n < max) {
		size_t best = nc;

		for (size_t i = 0; i < nc; i++)
			if (score[i] > 0 && (best == nc || score[i] > score[best]))
				best = i;
		if (best == nc)
			break;
		out[n++] = best;
		for (size_t i = 0; i < nc; i++)
			if ((i > best ? i - best : best - i) * STEP < MIN_GAP)
				score[i] = 0;
	}
	return n;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

static void push_segment(const struct audio_utterance *u, const struct dz_frames *f,
			 const struct dz_stats *p, size_t a, size_t b,
			 struct dz_segments *segs)
{
	struct dz_segment *s;

	PC_GROW(segs->items, segs->alloc, segs->nr + 1);
	s = &segs->items[segs->nr++];
	memset(s, 0, sizeof(*s));
	dz_stats_diff(&s->st, &p[b], &p[a]);
	s->start = dz_frame_time(u, f->at[a]);
	s->end = dz_frame_time(u, f->at[b - 1] + 1);
}

void dz_change_segments(const struct audio_utterance *u, const struct dz_frames *f,
			double lambda, struct dz_segments *segs)
{
	size_t m = f->nr, nc = 0, *cuts, n, prev = 0;
	struct dz_stats *p;
	double *score;

	if (!m)
		return;
	p = prefix_stats(f);
	score = pc_calloc(m / STEP + 1, sizeof(*score));
	cuts = pc_calloc(m / STEP + 1, sizeof(*cuts));
	for (size_t t = MIN_SIDE; t + MIN_SIDE <= m; t += STEP)
		score[nc++] = change_score(p, m, t, lambda);
	n = pick_changes(score, nc, cuts, m / STEP + 1);
	for (size_t i = 0; i < n; i++)
		cuts[i] = MIN_SIDE + cuts[i] * STEP;
	qsort(cuts, n, sizeof(*cuts), cmp_size);
	for (size_t i = 0; i < n; i++) {
		push_segment(u, f, p, prev, cuts[i], segs);
		prev = cuts[i];
	}
	push_segment(u, f, p, prev, m, segs);
	free(p);
	free(score);
	free(cuts);
}

/* ---- agglomerative clustering ----------------------------------------- */

/*
 * The pair matrix costs 4 n^2 bytes and each merge a scan of it, so a long
 * episode is first clustered in blocks of this many groups (each block
 * leaves a handful of voices), and the blocks' voices are clustered again.
 */
#define BLOCK 384

struct agglo {
	size_t n;
	struct dz_stats *st;       /* per item; a survivor holds its merged stats */
	bool *alive;
	float *d;                  /* n x n delta-BIC, upper triangle used */
	int *owner;                /* item -> the survivor it went to */
	double lambda;
};

#define D(a, i, j) ((a)->d[(i) < (j) ? (i) * (a)->n + (j) : (j) * (a)->n + (i)])

/*
 * Linear clustering first: a segment joins the group before it when it
 * follows closely and the change criterion sees no new voice.  Turns are
 * long next to segments, so this cuts the pairs to weigh several times.
 */
static size_t linear_groups(const struct dz_segments *segs, double lambda, int *group,
			    struct dz_stats *st)
{
	size_t n = 0;

	for (size_t i = 0; i < segs->nr; i++) {
		const struct dz_segment *s = &segs->items[i];

		if (n && s->start - segs->items[i - 1].end < LINEAR_GAP &&
		    dz_delta_bic(&st[n - 1], &s->st, lambda) < 0) {
			dz_stats_merge(&st[n - 1], &s->st);
		} else {
			st[n++] = s->st;
		}
		group[i] = (int)n - 1;
	}
	return n;
}

/*
 * Delta-BIC, except that two clusters which both hold enough speech to
 * judge and differ by more than OTHER_VOICE_DIVERGENCE never merge: BIC
 * alone lets a cluster that mixes voices grow by swallowing the rest.
 */
static float pair_cost(const struct dz_stats *a, const struct dz_stats *b, double lambda)
{
	if (a->n >= JUDGE_FRAMES && b->n >= JUDGE_FRAMES &&
	    dz_divergence(a, b) >= OTHER_VOICE_DIVERGENCE)
		return FLT_MAX;
	return (float)dz_delta_bic(a, b, lambda);
}

static void agglo_init(struct agglo *a, const struct dz_stats *items, size_t n, double lambda)
{
	a->n = n;
	a->lambda = lambda;
	a->st = pc_calloc(n, sizeof(*a->st));
	memcpy(a->st, items, n * sizeof(*a->st));
	a->alive = pc_calloc(n, sizeof(*a->alive));
	a->owner = pc_calloc(n, sizeof(*a->owner));
	a->d = pc_calloc(n * n, sizeof(*a->d));
	for (size_t i = 0; i < n; i++) {
		a->alive[i] = true;
		a->owner[i] = (int)i;
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			D(a, i, j) = pair_cost(&a->st[i], &a->st[j], lambda);
}

static void agglo_release(struct agglo *a)
{
	free(a->st);
	free(a->alive);
	free(a->d);
	free(a->owner);
}

static double penalty(double lambda, double n)
{
	return lambda * 0.5 * (DZ_DIM + DZ_TRI) * log(n > 1 ? n : 1);
}

/* Divergence of i and j, or FLT_MAX when either is too small to judge. */
static double divergence(const struct agglo *a, size_t i, size_t j)
{
	if (a->st[i].n < JUDGE_FRAMES || a->st[j].n < JUDGE_FRAMES)
		return FLT_MAX;
	return dz_divergence(&a->st[i], &a->st[j]);
}

/* The pair with the least cost (by_frame: divergence, else delta-BIC);
 * false when fewer than two items live. */
static bool agglo_best(const struct agglo *a, bool by_frame, size_t *bi, size_t *bj,
		       double *bv)
{
	bool found = false;

	for (size_t i = 0; i < a->n; i++) {
		if (!a->alive[i])
			continue;
		for (size_t j = i + 1; j < a->n; j++) {
			double v;

			if (!a->alive[j])
				continue;
			v = by_frame ? divergence(a, i, j) : D(a, i, j);
			if (!found || v < *bv) {
				*bi = i;
				*bj = j;
				*bv = v;
				found = true;
			}
		}
	}
	return found;
}

static void agglo_merge(struct agglo *a, size_t i, size_t j)
{
	dz_stats_merge(&a->st[i], &a->st[j]);
	a->alive[j] = false;
	for (size_t k = 0; k < a->n; k++)
		if (a->owner[k] == (int)j)
			a->owner[k] = (int)i;
	for (size_t k = 0; k < a->n; k++)
		if (a->alive[k] && k != i)
			D(a, i, k) = pair_cost(&a->st[i], &a->st[k], a->lambda);
}

static size_t agglo_count(const struct agglo *a)
{
	size_t k = 0;

	for (size_t i = 0; i < a->n; i++)
		k += a->alive[i];
	return k;
}

/*
 * Merges while some pair is cheaper as one voice.  While there are more
 * voices than the hint, the penalty weighs a little more: a hint tips close
 * calls, it never forces a count.
 */
static void agglo_bic(struct agglo *a, int hint)
{
	size_t i, j;
	double v;

	while (agglo_best(a, false, &i, &j, &v)) {
		double margin = 0;

		if (hint > 0 && agglo_count(a) > (size_t)hint)
			margin = (HINT_FACTOR - 1) * penalty(a->lambda, a->st[i].n + a->st[j].n);
		if (v >= margin)
			break;
		agglo_merge(a, i, j);
	}
}

/*
 * Then clusters too alike to be two people: two large clusters of one voice
 * differ by a few hundredths of a nat a frame, which over an hour of speech
 * outweighs BIC's log-n penalty; two voices differ by about 1.
 */
static void agglo_alike(struct agglo *a)
{
	size_t i, j;
	double v;

	while (agglo_best(a, true, &i, &j, &v) && v < SAME_VOICE_DIVERGENCE)
		agglo_merge(a, i, j);
}

/* Voices with too little speech to model join the voice nearest to them. */
static void agglo_absorb_small(struct agglo *a)
{
	for (size_t i = 0; i < a->n; i++) {
		size_t best = a->n;

		if (!a->alive[i] || a->st[i].n >= MIN_VOICE_FRAMES || agglo_count(a) < 2)
			continue;
		for (size_t k = 0; k < a->n; k++)
			if (k != i && a->alive[k] && (best == a->n || D(a, i, k) < D(a, i, best)))
				best = k;
		if (best < i)
			agglo_merge(a, best, i);
		else
			agglo_merge(a, i, best);
	}
}

/* Survivors numbered in item order: map[item], their stats to out. */
static size_t agglo_collect(const struct agglo *a, int *map, struct dz_stats *out)
{
	size_t k = 0;
	int *num = pc_calloc(a->n, sizeof(*num));

	for (size_t i = 0; i < a->n; i++) {
		int c = a->owner[i];

		if (!num[c]) {
			out[k] = a->st[c];
			num[c] = (int)++k;
		}
		map[i] = num[c] - 1;
	}
	free(num);
	return k;
}

/* One round of block-wise clustering of st[0..n); returns the new count. */
static size_t cluster_blocks(struct dz_stats *st, size_t n, int *map, double lambda)
{
	struct dz_stats *out = pc_calloc(n, sizeof(*out));
	size_t m = 0;

	for (size_t b = 0; b < n; b += BLOCK) {
		size_t len = n - b < BLOCK ? n - b : BLOCK, k;
		struct agglo a;

		agglo_init(&a, st + b, len, lambda);
		agglo_bic(&a, 0);
		k = agglo_collect(&a, map + b, out + m);
		for (size_t i = 0; i < len; i++)
			map[b + i] += (int)m;
		m += k;
		agglo_release(&a);
	}
	memcpy(st, out, m * sizeof(*st));
	free(out);
	return m;
}

/* Groups of segments, reduced block-wise until one matrix holds them. */
static size_t reduce_groups(const struct dz_segments *segs, double linear_lambda,
			    double lambda, int *group, struct dz_stats *st)
{
	size_t n = linear_groups(segs, linear_lambda, group, st);
	int *map = pc_calloc(n + 1, sizeof(*map));

	while (n > BLOCK) {
		size_t m = cluster_blocks(st, n, map, lambda);

		for (size_t i = 0; i < segs->nr; i++)
			group[i] = map[group[i]];
		if (m == n)
			break;
		n = m;
	}
	free(map);
	return n;
}

int dz_cluster(struct dz_segments *segs, double lambda, double linear_lambda, int hint,
	       struct dz_stats **out)
{
	struct dz_stats *st;
	struct agglo a;
	int *group, *label, k = 0;
	size_t n;

	*out = NULL;
	if (!segs->nr)
		return 0;
	group = pc_calloc(segs->nr, sizeof(*group));
	st = pc_calloc(segs->nr, sizeof(*st));
	n = reduce_groups(segs, linear_lambda, lambda, group, st);
	agglo_init(&a, st, n, lambda);
	agglo_bic(&a, hint);
	agglo_alike(&a);
	agglo_absorb_small(&a);
	label = pc_calloc(n, sizeof(*label));
	*out = pc_calloc(agglo_count(&a), sizeof(**out));
	for (size_t i = 0; i < n; i++)
		label[i] = -1;
	for (size_t i = 0; i < segs->nr; i++) {
		int c = a.owner[group[i]];

		if (label[c] < 0) {
			label[c] = k;
			(*out)[k++] = a.st[c];
		}
		segs->items[i].cluster = label[c];
	}
	free(label);
	free(group);
	free(st);
	agglo_release(&a);
	return k;
}
