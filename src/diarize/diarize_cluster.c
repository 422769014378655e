/*
 * diarize_cluster.c - speaker-change points inside an utterance and
 * agglomerative clustering of the pieces, both by delta-BIC over
 * full-covariance Gaussians (Chen and Gopalakrishnan's criterion).
 */
#include "diarize/internal.h"
#include "audio/audio.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW 100          /* frames either side of a candidate change (1 s) */
#define MIN_SIDE 60         /* frames a side needs at least */
#define STEP 5              /* candidate spacing (50 ms) */
#define MIN_GAP 80          /* two changes are at least this far apart */
#define HINT_FACTOR 1.3     /* penalty weight while there are more voices than the hint */
#define MIN_VOICE_FRAMES 150   /* a voice with less speech joins its nearest */

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

struct agglo {
	size_t n;
	struct dz_stats *st;       /* per cluster (index of its first segment) */
	bool *alive;
	float *d;                  /* n x n delta-BIC, upper triangle used */
	int *owner;                /* segment -> cluster */
};

#define D(a, i, j) ((a)->d[(i) < (j) ? (i) * (a)->n + (j) : (j) * (a)->n + (i)])

static void agglo_init(struct agglo *a, const struct dz_segments *segs, double lambda)
{
	a->n = segs->nr;
	a->st = pc_calloc(a->n, sizeof(*a->st));
	a->alive = pc_calloc(a->n, sizeof(*a->alive));
	a->owner = pc_calloc(a->n, sizeof(*a->owner));
	a->d = pc_calloc(a->n * a->n, sizeof(*a->d));
	for (size_t i = 0; i < a->n; i++) {
		a->st[i] = segs->items[i].st;
		a->alive[i] = true;
		a->owner[i] = (int)i;
	}
	for (size_t i = 0; i < a->n; i++)
		for (size_t j = i + 1; j < a->n; j++)
			D(a, i, j) = (float)dz_delta_bic(&a->st[i], &a->st[j], lambda);
}

static void agglo_release(struct agglo *a)
{
	free(a->st);
	free(a->alive);
	free(a->d);
	free(a->owner);
}

/* The cheapest pair to merge; false when fewer than two clusters live. */
static bool agglo_best(const struct agglo *a, size_t *bi, size_t *bj, double *bv)
{
	bool found = false;

	for (size_t i = 0; i < a->n; i++) {
		if (!a->alive[i])
			continue;
		for (size_t j = i + 1; j < a->n; j++) {
			if (a->alive[j] && (!found || D(a, i, j) < *bv)) {
				*bi = i;
				*bj = j;
				*bv = D(a, i, j);
				found = true;
			}
		}
	}
	return found;
}

static void agglo_merge(struct agglo *a, size_t i, size_t j, double lambda)
{
	dz_stats_merge(&a->st[i], &a->st[j]);
	a->alive[j] = false;
	for (size_t k = 0; k < a->n; k++)
		if (a->owner[k] == (int)j)
			a->owner[k] = (int)i;
	for (size_t k = 0; k < a->n; k++)
		if (a->alive[k] && k != i)
			D(a, i, k) = (float)dz_delta_bic(&a->st[i], &a->st[k], lambda);
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
static void agglo_run(struct agglo *a, double lambda, int hint)
{
	size_t i, j;
	double v, extra = (HINT_FACTOR - 1) * lambda;

	while (agglo_best(a, &i, &j, &v)) {
		size_t k = agglo_count(a);
		double margin = 0;

		if (hint > 0 && k > (size_t)hint) {
			struct dz_stats ab = a->st[i];

			dz_stats_merge(&ab, &a->st[j]);
			margin = extra * 0.5 * (DZ_DIM + DZ_TRI) * log(ab.n);
		}
		if (v >= margin)
			break;
		agglo_merge(a, i, j, lambda);
	}
}

/* Voices with too little speech to model join the voice nearest to them. */
static void agglo_absorb_small(struct agglo *a, double lambda)
{
	for (size_t i = 0; i < a->n; i++) {
		size_t best = a->n;

		if (!a->alive[i] || a->st[i].n >= MIN_VOICE_FRAMES || agglo_count(a) < 2)
			continue;
		for (size_t k = 0; k < a->n; k++)
			if (k != i && a->alive[k] && (best == a->n || D(a, i, k) < D(a, i, best)))
				best = k;
		if (best < i)
			agglo_merge(a, best, i, lambda);
		else
			agglo_merge(a, i, best, lambda);
	}
}

int dz_cluster(struct dz_segments *segs, double lambda, int hint, struct dz_stats **out)
{
	struct agglo a;
	int k = 0, *label;

	*out = NULL;
	if (!segs->nr)
		return 0;
	agglo_init(&a, segs, lambda);
	agglo_run(&a, lambda, hint);
	agglo_absorb_small(&a, lambda);
	label = pc_calloc(a.n, sizeof(*label));
	for (size_t i = 0; i < a.n; i++)
		label[i] = -1;
	*out = pc_calloc(agglo_count(&a), sizeof(**out));
	for (size_t i = 0; i < segs->nr; i++) {
		int c = a.owner[i];

		if (label[c] < 0) {
			label[c] = k;
			(*out)[k++] = a.st[c];
		}
		segs->items[i].cluster = label[c];
	}
	free(label);
	agglo_release(&a);
	return k;
}
