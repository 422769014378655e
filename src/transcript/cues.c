/*
 * cues.c - a segment's text cut into subtitle cues.
 *
 * Subtitle guides ask for cues a viewer can read: at most
 * TR_CUE_MAX_SECONDS on screen, at most two lines of TR_CUE_MAX_LINE
 * characters.  A segment is cut between words, never inside one: each
 * token of its text gets the times of the matching word when the segment
 * has one word per token (the recognizer's sentences), else times spread
 * over the segment by character position.  Tokens go into a cue while it
 * still fits, and when the segment needs several cues, while the cue stays
 * near an even share of the text (so no lone word is left for the last
 * cue); its lines are then balanced (the break that makes the longer line
 * shortest).  A single token too long or too slow for a cue gets a
 * cue of its own.
 */
#include "transcript/tr_internal.h"
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>

/* Characters a cue of an evenly cut segment may take past its share. */
#define TR_CUE_SLACK 6

struct token {
	const char *p;
	size_t len;       /* bytes */
	size_t width;     /* characters */
	double start, end;
};

struct tokens {
	struct token *v;
	size_t nr, alloc;
};

static void split_tokens(const char *text, struct tokens *t)
{
	const char *p = text;

	while (*p) {
		size_t n;

		p += strspn(p, " \t\r\n");
		n = strcspn(p, " \t\r\n");
		if (!n)
			break;
		PC_GROW(t->v, t->alloc, t->nr + 1);
		t->v[t->nr++] = (struct token){ p, n, utf8_count(p, n), 0, 0 };
		p += n;
	}
}

/* Word times when the words match the tokens one to one, else spread. */
static void time_tokens(const struct segment *s, struct tokens *t)
{
	size_t total = 0, at = 0;
	double span = s->end > s->start ? s->end - s->start : 0;

	if (t->nr == s->nr_words) {
		for (size_t i = 0; i < t->nr; i++) {
			t->v[i].start = s->words[i].start;
			t->v[i].end = s->words[i].end > s->words[i].start ? s->words[i].end
									  : s->words[i].start;
		}
		return;
	}
	for (size_t i = 0; i < t->nr; i++)
		total += t->v[i].width + (i > 0);
	for (size_t i = 0; i < t->nr; i++) {
		t->v[i].start = s->start + span * (double)at / (double)total;
		at += t->v[i].width;
		t->v[i].end = s->start + span * (double)at / (double)total;
		at++;
	}
}

/* Width of tokens [a, b) on one line. */
static size_t line_width(const struct tokens *t, size_t a, size_t b)
{
	size_t w = 0;

	for (size_t i = a; i < b; i++)
		w += t->v[i].width + (i > a);
	return w;
}

/* Where line 2 of cue [a, b) starts (b: one line), the longer line
 * shortest; SIZE_MAX when no break fits. */
static size_t best_break(const struct tokens *t, size_t a, size_t b, size_t prefix)
{
	size_t best = SIZE_MAX, best_w = SIZE_MAX;

	if (prefix + line_width(t, a, b) <= TR_CUE_MAX_LINE)
		return b;
	for (size_t k = a + 1; k < b; k++) {
		size_t w1 = prefix + line_width(t, a, k), w2 = line_width(t, k, b);
		size_t w = w1 > w2 ? w1 : w2;

		if (w <= TR_CUE_MAX_LINE && w < best_w) {
			best_w = w;
			best = k;
		}
	}
	return best;
}

static bool fits(const struct tokens *t, size_t a, size_t b, size_t prefix)
{
	return t->v[b - 1].end - t->v[a].start <= TR_CUE_MAX_SECONDS &&
	       best_break(t, a, b, prefix) != SIZE_MAX;
}

static void emit_cue(const struct tokens *t, size_t a, size_t b, size_t prefix,
		     tr_cue_fn fn, void *udata)
{
	size_t k = best_break(t, a, b, prefix);
	struct tr_cue c = { t->v[a].start, t->v[b - 1].end, t->v[a].p, 0, NULL, 0 };

	if (k == SIZE_MAX)   /* one token too long for a line: it stands alone */
		k = b;
	c.len1 = (size_t)(t->v[k - 1].p + t->v[k - 1].len - c.line1);
	if (k < b) {
		c.line2 = t->v[k].p;
		c.len2 = (size_t)(t->v[b - 1].p + t->v[b - 1].len - c.line2);
	}
	fn(&c, udata);
}

/*
 * Cuts the tokens into cues greedily, each at most budget characters;
 * stores where each cue ends in ends (when not NULL) and returns how many.
 */
static size_t pack(const struct tokens *t, size_t prefix, size_t budget, size_t *ends)
{
	size_t a = 0, n = 0;

	for (size_t b = 1; b <= t->nr; b++) {
		if (b < t->nr && fits(t, a, b + 1, prefix) && line_width(t, a, b + 1) <= budget)
			continue;
		if (ends)
			ends[n] = b;
		n++;
		a = b;
	}
	return n;
}

/* As many cues as the greedy cut needs, but of even length when that
 * takes no more of them (no one-word cue left at the end). */
static size_t balanced_budget(const struct tokens *t, size_t prefix)
{
	size_t n = pack(t, prefix, SIZE_MAX, NULL);
	size_t even = line_width(t, 0, t->nr) / n + TR_CUE_SLACK;

	return n > 1 && pack(t, prefix, even, NULL) == n ? even : SIZE_MAX;
}

void tr_cues(const struct segment *s, size_t prefix, tr_cue_fn fn, void *udata)
{
	struct tokens t = { NULL, 0, 0 };
	size_t *ends, n, a = 0;

	split_tokens(s->text, &t);
	if (!t.nr) {
		free(t.v);
		return;
	}
	time_tokens(s, &t);
	ends = pc_calloc(t.nr, sizeof(*ends));
	n = pack(&t, prefix, balanced_budget(&t, prefix), ends);
	for (size_t i = 0; i < n; i++) {
		emit_cue(&t, a, ends[i], prefix, fn, udata);
		a = ends[i];
	}
	free(ends);
	free(t.v);
}
