/*
 * asr_lm.c - a small trigram language model from a show's own text, written
 * as ARPA text for sphinxbase to read.
 *
 * Estimation is interpolated absolute discounting (one discount D per
 * order): P(w|h) = max(c(h,w) - D, 0) / c(h) + g(h) P(w|h'), with
 * g(h) = D * distinct(h) / c(h).  In ARPA backoff form the listed n-grams
 * carry the interpolated P(w|h) and the backoff weight of h is exactly g(h)
 * (the mass left over is g(h) * (1 - sum of lower-order P over the seen
 * words), and the lower-order mass of the unseen words is that same
 * 1 - sum).  Counts are a few thousand words, so sorted arrays do.
 */
#include "asr/asr_backend.h"
#include "util/strlist.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DISCOUNT 0.7
#define BOS 0
#define EOS 1

struct gram {
	uint32_t w[3];
	uint32_t count;
};

struct grams {
	struct gram *g;
	size_t n, alloc;
};

struct lm_build {
	struct strlist vocab;     /* id -> word; 0: <s>, 1: </s> */
	uint32_t *tokens;         /* sentences, each <s> ... </s> */
	size_t ntok, tok_alloc;
	struct grams order[3];    /* unigrams, bigrams, trigrams, counted */
	double total;             /* unigram tokens (without <s>) */
};

/* ---- tokens ---------------------------------------------------------------- */

static uint32_t word_id(struct lm_build *b, const char *w)
{
	for (size_t i = b->vocab.nr; i > 0; i--)
		if (!strcmp(b->vocab.items[i - 1], w))
			return (uint32_t)(i - 1);
	strlist_push(&b->vocab, w);
	return (uint32_t)(b->vocab.nr - 1);
}

static void push_token(struct lm_build *b, uint32_t id)
{
	/* an empty sentence adds nothing */
	if (id == EOS && b->ntok && b->tokens[b->ntok - 1] == BOS) {
		b->ntok--;
		return;
	}
	PC_GROW(b->tokens, b->tok_alloc, b->ntok + 1);
	b->tokens[b->ntok++] = id;
}

static bool sentence_end(unsigned char c)
{
	return c == '.' || c == '!' || c == '?' || c == '\n' || c == ';' || c == ':';
}

/* Words: ASCII letters and inner apostrophes, lower case; others split. */
static void tokenize(struct lm_build *b, const char *text, size_t len)
{
	struct sbuf w = SBUF_INIT(256);

	push_token(b, BOS);
	for (size_t i = 0; i <= len; i++) {
		unsigned char c = i < len ? (unsigned char)text[i] : '\n';

		if (c < 128 && (isalpha(c) || (c == '\'' && w.len))) {
			sbuf_addch(&w, tolower(c));
			continue;
		}
		while (w.len && w.buf[w.len - 1] == '\'')
			sbuf_setlen(&w, w.len - 1);
		if (w.len)
			push_token(b, word_id(b, w.buf));
		sbuf_reset(&w);
		if (sentence_end(c)) {
			push_token(b, EOS);
			push_token(b, BOS);
		}
	}
	if (b->ntok && b->tokens[b->ntok - 1] == BOS)
		b->ntok--;
	sbuf_release(&w);
}

/* ---- counts ---------------------------------------------------------------- */

static int gram_cmp(const void *a, const void *b)
{
	const struct gram *x = a, *y = b;

	for (int i = 0; i < 3; i++)
		if (x->w[i] != y->w[i])
			return x->w[i] < y->w[i] ? -1 : 1;
	return 0;
}

/* Sorts and merges equal n-grams, summing counts. */
static void merge_equal(struct grams *g)
{
	size_t out = 0;

	if (g->n > 1)
		qsort(g->g, g->n, sizeof(*g->g), gram_cmp);
	for (size_t i = 0; i < g->n; i++) {
		if (out && !gram_cmp(&g->g[out - 1], &g->g[i]))
			g->g[out - 1].count += g->g[i].count;
		else
			g->g[out++] = g->g[i];
	}
	g->n = out;
}

static void count_order(struct lm_build *b, int n)
{
	struct grams *g = &b->order[n - 1];

	for (size_t i = 0; i + (size_t)n <= b->ntok; i++) {
		struct gram x = { { UINT32_MAX, UINT32_MAX, UINT32_MAX }, 1 };
		bool crosses = false;

		for (int k = 0; k < n; k++) {
			x.w[k] = b->tokens[i + (size_t)k];
			crosses |= k && x.w[k] == BOS;      /* no n-gram spans sentences */
			crosses |= k + 1 < n && x.w[k] == EOS;
		}
		if (crosses || (n == 1 && x.w[0] == BOS))
			continue;
		PC_GROW(g->g, g->alloc, g->n + 1);
		g->g[g->n++] = x;
	}
	merge_equal(g);
}

static int memcmp_words(const uint32_t *a, const uint32_t *b, int n)
{
	for (int i = 0; i < n; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

static const struct gram *find(const struct grams *g, const uint32_t *w, int n)
{
	struct gram key = { { UINT32_MAX, UINT32_MAX, UINT32_MAX }, 0 };

	memcpy(key.w, w, (size_t)n * sizeof(*w));
	return g->n ? bsearch(&key, g->g, g->n, sizeof(*g->g), gram_cmp) : NULL;
}

/* c(h) and distinct(h): the n-grams of order n+1 that start with h, which
 * are contiguous in the sorted array. */
static void history(const struct lm_build *b, const uint32_t *h, int n, double *count,
		    double *distinct)
{
	const struct grams *g = &b->order[n];
	size_t lo = 0, hi = g->n, bytes = (size_t)n * sizeof(*h);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (memcmp_words(g->g[mid].w, h, n) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*count = 0;
	*distinct = 0;
	for (size_t i = lo; i < g->n && !memcmp(g->g[i].w, h, bytes); i++) {
		*count += g->g[i].count;
		*distinct += 1;
	}
}

/* ---- probabilities --------------------------------------------------------- */

static double prob(const struct lm_build *b, const uint32_t *w, int n);

static double unigram(const struct lm_build *b, uint32_t w)
{
	const struct gram *u = find(&b->order[0], &w, 1);

	return u ? u->count / b->total : 0;
}

/* g(h) for the history w[0..n-1] of order n+1; 1 when h was never a history. */
static double backoff(const struct lm_build *b, const uint32_t *h, int n)
{
	double c, d;

	history(b, h, n, &c, &d);
	return c > 0 ? DISCOUNT * d / c : 1.0;
}

/* Interpolated P(w[n-1] | w[0..n-2]). */
static double prob(const struct lm_build *b, const uint32_t *w, int n)
{
	const struct gram *g;
	double c, d;

	if (n == 1)
		return unigram(b, w[0]);
	history(b, w, n - 1, &c, &d);
	if (c <= 0)
		return prob(b, w + 1, n - 1);
	g = find(&b->order[n - 1], w, n);
	return (g && g->count > DISCOUNT ? (g->count - DISCOUNT) / c : 0) +
	       DISCOUNT * d / c * prob(b, w + 1, n - 1);
}

/* ---- ARPA ------------------------------------------------------------------ */

static double log10_or_floor(double p)
{
	return p > 0 ? log10(p) : -99.0;
}

static void write_order(const struct lm_build *b, int n, struct sbuf *out)
{
	const struct grams *g = &b->order[n - 1];

	sbuf_addf(out, "\n\\%d-grams:\n", n);
	if (n == 1)
		sbuf_addf(out, "-99.0000 <s> %.4f\n", log10(backoff(b, (uint32_t[]){ BOS }, 1)));
	for (size_t i = 0; i < g->n; i++) {
		const uint32_t *w = g->g[i].w;

		sbuf_addf(out, "%.4f", log10_or_floor(prob(b, w, n)));
		for (int k = 0; k < n; k++)
			sbuf_addf(out, " %s", b->vocab.items[w[k]]);
		if (n < 3)
			sbuf_addf(out, " %.4f", log10(backoff(b, w, n)));
		sbuf_addch(out, '\n');
	}
}

static void build_release(struct lm_build *b)
{
	strlist_release(&b->vocab);
	free(b->tokens);
	for (int i = 0; i < 3; i++)
		free(b->order[i].g);
}

int asr_lm_arpa(const char *text, size_t len, struct sbuf *arpa, struct strlist *words)
{
	struct lm_build b = { .vocab = STRLIST_INIT };

	strlist_push(&b.vocab, "<s>");
	strlist_push(&b.vocab, "</s>");
	tokenize(&b, text, len);
	for (int n = 1; n <= 3; n++)
		count_order(&b, n);
	for (size_t i = 0; i < b.order[0].n; i++)
		b.total += b.order[0].g[i].count;
	if (b.vocab.nr <= 2) {
		build_release(&b);
		return -PC_ENOTFOUND;
	}
	/* <s> is listed first by hand, with no probability of its own */
	sbuf_addf(arpa, "\\data\\\nngram 1=%zu\nngram 2=%zu\nngram 3=%zu\n",
		  b.order[0].n + 1, b.order[1].n, b.order[2].n);
	for (int n = 1; n <= 3; n++)
		write_order(&b, n, arpa);
	sbuf_adds(arpa, "\n\\end\\\n");
	for (size_t i = 2; i < b.vocab.nr; i++)
		strlist_push(words, b.vocab.items[i]);
	build_release(&b);
	return 0;
}
