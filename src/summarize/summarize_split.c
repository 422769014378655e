/*
 * summarize_split.c - sentence segmentation for punctuated and
 * unpunctuated (speech-recognizer) text; see summarize.h.
 *
 * Line structure carries hints: a single line break is a weak boundary
 * (a caption or segment ended), a blank line a strong one (a pause or a
 * paragraph).  Punctuated text ignores the weak hint, since captions break
 * mid-sentence.
 */
#include "summarize/summarize.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum hint { HINT_NONE, HINT_LINE, HINT_PARAGRAPH };

struct word {
	const char *s;
	size_t len;
	enum hint hint;    /* boundary before this word */
};

struct words {
	struct word *v;
	size_t n;
	size_t alloc;
};

/* Punctuated text averages at most this many words a sentence. */
#define PUNCTUATED_WORDS_PER_STOP 40
#define LONG_SENTENCE 40      /* punctuated: break at a comma past this */
#define MAX_SENTENCE 60       /* punctuated: hard limit */
#define LINE_BREAK_MIN 8      /* unpunctuated: words before a line break ends one */
#define PARAGRAPH_MIN 4
#define SHORT_TAIL 5

static void words_split(const char *text, struct words *w)
{
	const char *p = text;
	int newlines = 0;

	while (*p) {
		const char *s;

		if (isspace((unsigned char)*p)) {
			newlines += *p++ == '\n';
			continue;
		}
		s = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		PC_GROW(w->v, w->alloc, w->n + 1);
		w->v[w->n++] = (struct word){ s, (size_t)(p - s),
			newlines >= 2 ? HINT_PARAGRAPH : newlines ? HINT_LINE : HINT_NONE };
		newlines = 0;
	}
}

/* Length of w without closing quotes and brackets. */
static size_t core_len(const struct word *w)
{
	size_t n = w->len;

	for (;;) {
		if (n && strchr("\"')]", w->s[n - 1])) {
			n--;
		} else if (n >= 3 && (!memcmp(w->s + n - 3, "\xe2\x80\x9d", 3) ||
				      !memcmp(w->s + n - 3, "\xe2\x80\x99", 3))) {
			n -= 3;
		} else {
			return n;
		}
	}
}

/* "Dr", "e.g", "U.S", "J": the period after them is not a full stop. */
static bool is_abbreviation(const char *s, size_t n)
{
	static const char *const abbrevs[] = {
		"approx", "apr", "aug", "capt", "co", "col", "corp", "dec", "dept", "dr",
		"feb", "fig", "ft", "gen", "gov", "inc", "jan", "jr", "lt", "ltd", "mr",
		"mrs", "ms", "mt", "nov", "oct", "prof", "rep", "sen", "sept", "sgt", "sr",
		"st", "vol", "vs",
	};
	bool dot = false, letters_only = true;

	while (n && strchr("\"'([", *s))
		s++, n--;
	if (n == 1 && isalpha((unsigned char)*s))
		return true;
	for (size_t i = 0; i < n; i++) {
		dot |= s[i] == '.';
		letters_only &= isalpha((unsigned char)s[i]) || s[i] == '.';
	}
	if (dot && letters_only)
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(abbrevs); i++)
		if (strlen(abbrevs[i]) == n && !strncasecmp(s, abbrevs[i], n))
			return true;
	return false;
}

static bool ends_sentence(const struct word *w)
{
	size_t n = core_len(w);

	if (n >= 3 && !memcmp(w->s + n - 3, "\xe2\x80\xa6", 3))
		return true;
	if (!n || !strchr(".!?", w->s[n - 1]))
		return false;
	if (w->s[n - 1] != '.' || (n >= 2 && w->s[n - 2] == '.'))
		return true;
	return !is_abbreviation(w->s, n - 1);
}

static bool starts_sentence(const struct word *w)
{
	const unsigned char *s = (const unsigned char *)w->s;
	size_t i = 0;

	while (i < w->len && strchr("\"'([", s[i]))
		i++;
	return i < w->len && (isupper(s[i]) || isdigit(s[i]) || s[i] >= 0x80);
}

static bool word_is(const struct word *w, const char *lower)
{
	size_t n = w->len;

	while (n && strchr(",;:", w->s[n - 1]))
		n--;
	return strlen(lower) == n && !strncasecmp(w->s, lower, n);
}

/* Words that usually open a new thought in speech. */
static bool is_discourse(const struct words *w, size_t i)
{
	static const char *const single[] = {
		"so", "but", "now", "okay", "ok", "anyway", "anyways", "alright",
	};

	if (i >= w->n)
		return false;
	for (size_t k = 0; k < ARRAY_SIZE(single); k++)
		if (word_is(&w->v[i], single[k]))
			return true;
	return word_is(&w->v[i], "and") && i + 1 < w->n &&
	       (word_is(&w->v[i + 1], "then") || word_is(&w->v[i + 1], "so"));
}

static bool is_punctuated(const struct words *w)
{
	size_t stops = 0;

	for (size_t i = 0; i < w->n; i++)
		stops += ends_sentence(&w->v[i]);
	return stops && w->n / stops <= PUNCTUATED_WORDS_PER_STOP;
}

/* Does a sentence of len words end after word i? */
static bool break_punctuated(const struct words *w, size_t i, size_t len)
{
	const struct word *cur = &w->v[i], *next = i + 1 < w->n ? &w->v[i + 1] : NULL;
	char last = cur->s[cur->len - 1];

	if (!next || next->hint == HINT_PARAGRAPH)
		return true;
	/* A line that ends with a full stop ends the sentence, whatever comes next. */
	if (ends_sentence(cur) && (starts_sentence(next) || next->hint != HINT_NONE))
		return true;
	return len >= MAX_SENTENCE || (len >= LONG_SENTENCE && (last == ',' || last == ';'));
}

static bool break_spoken(const struct words *w, size_t i, size_t len)
{
	const struct word *next = i + 1 < w->n ? &w->v[i + 1] : NULL;

	if (!next)
		return true;
	if (ends_sentence(&w->v[i]) && len >= 3)
		return true;
	if ((next->hint == HINT_PARAGRAPH && len >= PARAGRAPH_MIN) ||
	    (next->hint == HINT_LINE && len >= LINE_BREAK_MIN))
		return true;
	return (len >= SUMMARIZE_MIN_WORDS && is_discourse(w, i + 1)) ||
	       len >= SUMMARIZE_MAX_WORDS;
}

static void push_words(const struct words *w, size_t from, size_t to, struct strlist *out)
{
	struct sbuf sb = SBUF_INIT(SBUF_NOLIMIT);

	for (size_t i = from; i < to; i++) {
		if (i > from)
			sbuf_addch(&sb, ' ');
		sbuf_add(&sb, w->v[i].s, w->v[i].len);
	}
	strlist_push_owned(out, sbuf_detach(&sb, NULL));
}

void summarize_split_sentences(const char *text, struct strlist *out)
{
	struct words w = { 0 };
	size_t start = 0, prev_start = 0;
	bool punct;

	words_split(text ? text : "", &w);
	punct = is_punctuated(&w);
	for (size_t i = 0; i < w.n; i++) {
		bool brk = punct ? break_punctuated(&w, i, i + 1 - start)
				 : break_spoken(&w, i, i + 1 - start);
		if (!brk)
			continue;
		/* A spoken tail too short to stand alone joins the sentence before. */
		if (!punct && i + 1 == w.n && i + 1 - start < SHORT_TAIL && start > 0 &&
		    w.v[start].hint == HINT_NONE) {
			free(out->items[--out->nr]);
			out->items[out->nr] = NULL;
			push_words(&w, prev_start, i + 1, out);
			break;
		}
		push_words(&w, start, i + 1, out);
		prev_start = start;
		start = i + 1;
	}
	free(w.v);
}
