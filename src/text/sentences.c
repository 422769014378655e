/*
 * sentences.c - recognized words into sentences with capitals and end
 * marks (see text.h for the rules).
 *
 * The words of consecutive timed segments are laid out flat (struct run),
 * cut into sentences, and each sentence becomes one new segment.  The
 * pause rule is what carries the weight: speakers (and flite voices) pause
 * between sentences noticeably longer than between words of a phrase.
 */
#include "text/text_internal.h"
#include "util/strlist.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* One word of the run being cut. */
struct flat {
	const struct word *w;
	const char *speaker;
	char *key;              /* lower case */
	bool hard_after;        /* a segment (utterance) ends after it */
	bool name_next;         /* it and the next word are one known name */
	const char *name_form;  /* the known name's spelling, or NULL */
};

struct run {
	struct flat *v;
	size_t nr, alloc;
};

/* The known names, as tokens: "Priya Nair" -> priya/Priya, nair/Nair. */
struct name_range {
	size_t start, len;      /* tokens of one name */
};

struct names {
	struct strlist keys, forms;
	struct name_range *v;
	size_t nr, alloc;
};

static char *lower_dup(const char *s)
{
	char *k = pc_strdup(s);

	for (char *p = k; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return k;
}

/* ---- names ---------------------------------------------------------------- */

static bool name_char(char c)
{
	return isalpha((unsigned char)c) || c == '\'' || (unsigned char)c >= 0x80;
}

/* Splits name into tokens at spaces and hyphens; others than letters and
 * apostrophes drop the token ("Dr." stays "Dr" with its dot cut). */
static void add_name(struct names *n, const char *name)
{
	size_t before = n->keys.nr;
	const char *p = name;

	while (*p) {
		size_t len = strcspn(p, " -\t");
		size_t good = 0;

		while (good < len && name_char(p[good]))
			good++;
		if (good) {
			char *form = pc_strndup(p, good);

			strlist_push_owned(&n->keys, lower_dup(form));
			strlist_push_owned(&n->forms, form);
		}
		p += len;
		p += strspn(p, " -\t");
	}
	if (n->keys.nr == before)
		return;
	PC_GROW(n->v, n->alloc, n->nr + 1);
	n->v[n->nr++] = (struct name_range){ before, n->keys.nr - before };
}

static void names_init(struct names *n, const struct text_options *o)
{
	memset(n, 0, sizeof(*n));
	for (size_t i = 0; i < o->nr_names; i++)
		if (o->names[i])
			add_name(n, o->names[i]);
}

static void names_release(struct names *n)
{
	strlist_release(&n->keys);
	strlist_release(&n->forms);
	free(n->v);
}

/* The form of a name token with this key, or NULL. */
static const char *name_token(const struct names *n, const char *key)
{
	for (size_t i = 0; i < n->keys.nr; i++)
		if (!strcmp(n->keys.items[i], key))
			return n->forms.items[i];
	return NULL;
}

/* Marks the words from i that spell a known name of two or more words. */
static void mark_name_at(struct run *r, size_t i, const struct names *n)
{
	for (size_t k = 0; k < n->nr; k++) {
		size_t len = n->v[k].len, first = n->v[k].start, j = 0;

		if (len < 2 || i + len > r->nr)
			continue;
		while (j < len && !strcmp(r->v[i + j].key, n->keys.items[first + j]))
			j++;
		if (j < len)
			continue;
		for (j = 0; j < len; j++) {
			r->v[i + j].name_form = n->forms.items[first + j];
			r->v[i + j].name_next = j + 1 < len;
		}
	}
}

/* ---- the run -------------------------------------------------------------- */

static void run_add(struct run *r, const struct segment *s)
{
	for (size_t i = 0; i < s->nr_words; i++) {
		struct flat *f;

		PC_GROW(r->v, r->alloc, r->nr + 1);
		f = &r->v[r->nr++];
		memset(f, 0, sizeof(*f));
		f->w = &s->words[i];
		f->speaker = s->speaker;
		f->key = lower_dup(s->words[i].text);
		f->hard_after = i + 1 == s->nr_words;
	}
}

static void run_clear(struct run *r)
{
	for (size_t i = 0; i < r->nr; i++)
		free(r->v[i].key);
	r->nr = 0;
}

static double gap_after(const struct run *r, size_t i)
{
	return r->v[i + 1].w->start - r->v[i].w->end;
}

static bool same_speaker(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* A sentence must end after word i (of the run). */
static bool hard_end(const struct run *r, size_t i)
{
	return i + 1 >= r->nr || r->v[i].hard_after ||
	       !same_speaker(r->v[i].speaker, r->v[i + 1].speaker);
}

/* ---- capitals and end marks ----------------------------------------------- */

static bool in_list(const char *key, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(key, list[i]))
			return true;
	return false;
}

static const char *const wh_words[] = {
	"what", "who", "where", "when", "why", "how", "which", "whose", "whom",
};
static const char *const aux_words[] = {
	"is", "are", "was", "were", "am", "do", "does", "did", "can", "could", "will",
	"would", "should", "shall", "have", "has", "had", "may", "might", "isn't", "aren't",
	"wasn't", "weren't", "don't", "doesn't", "didn't", "can't", "couldn't", "won't",
	"wouldn't", "shouldn't", "haven't", "hasn't",
};
/* "what's the plan": a question whatever follows. */
static const char *const wh_is_words[] = {
	"what's", "who's", "where's", "how's", "why's", "when's",
};
/* Words that make "when we ..." or "what the ..." a clause, not a question. */
static const char *const subject_words[] = {
	"i", "you", "we", "they", "he", "she", "it", "there", "this", "that", "these",
	"those", "the", "a", "an", "your", "our", "my", "his", "her", "their", "i'm",
	"you're", "we're", "they're", "it's", "people", "everyone", "someone",
};
/* Openers a question may follow: "so what do you think". */
static const char *const lead_words[] = {
	"so", "and", "but", "well", "okay", "ok", "now", "then", "oh", "right", "also",
};

#define IN(key, list) in_list(key, list, ARRAY_SIZE(list))

/* The sentence of words [a, b) opens with a question form. */
static bool is_question(const struct run *r, size_t a, size_t b)
{
	const char *w0, *w1;

	if (a + 1 < b && IN(r->v[a].key, lead_words))
		a++;
	w0 = r->v[a].key;
	w1 = a + 1 < b ? r->v[a + 1].key : NULL;
	if (IN(w0, wh_is_words))
		return true;
	if (IN(w0, wh_words))
		return !w1 || IN(w1, aux_words) || !IN(w1, subject_words);
	return w1 && IN(w0, aux_words) && IN(w1, subject_words);
}

/* "i" and "i'm", "i'll", "i've", "i'd". */
static bool is_i(const char *key)
{
	return key[0] == 'i' && (!key[1] || key[1] == '\'');
}

static bool has_upper(const char *s)
{
	for (; *s; s++)
		if (isupper((unsigned char)*s))
			return true;
	return false;
}

void text_case_word(const char *word, const char *path, struct sbuf *out)
{
	char *key = lower_dup(word);
	size_t at = out->len;

	if (is_i(key)) {
		sbuf_adds(out, key);
		out->buf[at] = 'I';
	} else if (text_lexicon_lookup(path, key, out) != LEX_PROPER) {
		sbuf_adds(out, has_upper(word) ? word : key);
	}
	free(key);
}

/* The written form of word i; the sentence's first word gets a capital. */
static void word_form(const struct run *r, size_t i, bool first, const struct names *n,
		      const char *path, struct sbuf *out)
{
	const struct flat *f = &r->v[i];
	const char *name = f->name_form ? f->name_form : name_token(n, f->key);
	size_t at = out->len;

	if (name && (f->name_form || text_lexicon_lookup(path, f->key, out) != LEX_COMMON)) {
		sbuf_setlen(out, at);
		sbuf_adds(out, name);
	} else {
		sbuf_setlen(out, at);
		text_case_word(f->w->text, path, out);
	}
	if (first && out->len > at)
		out->buf[at] = (char)toupper((unsigned char)out->buf[at]);
}

/* ---- cutting -------------------------------------------------------------- */

/* Appends the sentence of words [a, b) to out as one segment. */
static void emit(const struct run *r, size_t a, size_t b, const struct names *n,
		 const char *path, struct segment_list *out)
{
	struct sbuf text = SBUF_INIT(SBUF_NOLIMIT), form = SBUF_INIT(SBUF_NOLIMIT);
	struct segment *s;

	segment_list_push(out, r->v[a].w->start, r->v[b - 1].w->end, r->v[a].speaker, NULL);
	s = &out->items[out->nr - 1];
	for (size_t i = a; i < b; i++) {
		sbuf_reset(&form);
		word_form(r, i, i == a, n, path, &form);
		segment_add_word(s, form.buf, r->v[i].w->start, r->v[i].w->end);
		sbuf_addf(&text, "%s%s", i > a ? " " : "", form.buf);
	}
	sbuf_addch(&text, is_question(r, a, b) ? '?' : '.');
	free(s->text);
	s->text = sbuf_detach(&text, NULL);
	sbuf_release(&form);
}

/* The best place to cut a long sentence [a, b): its longest pause that
 * leaves TEXT_MIN_WORDS on each side and splits no name. */
static size_t longest_pause(const struct run *r, size_t a, size_t b)
{
	size_t best = a + (b - a) / 2 - 1;
	double best_gap = -1;

	for (size_t i = a + TEXT_MIN_WORDS - 1; i + TEXT_MIN_WORDS < b; i++) {
		if (!r->v[i].name_next && gap_after(r, i) > best_gap) {
			best_gap = gap_after(r, i);
			best = i;
		}
	}
	return best;
}

static void emit_bounded(const struct run *r, size_t a, size_t b, const struct names *n,
			 const char *path, struct segment_list *out)
{
	size_t cut;

	if (b - a <= TEXT_MAX_WORDS) {
		emit(r, a, b, n, path, out);
		return;
	}
	cut = longest_pause(r, a, b);
	emit_bounded(r, a, cut + 1, n, path, out);
	emit_bounded(r, cut + 1, b, n, path, out);
}

static void cut_run(struct run *r, const struct names *n, const struct text_options *o,
		    struct segment_list *out)
{
	double pause = o->pause > 0 ? o->pause : TEXT_SENTENCE_PAUSE;
	size_t a = 0;

	for (size_t i = 0; i < r->nr; i++)
		mark_name_at(r, i, n);
	for (size_t i = 0; i < r->nr; i++) {
		bool end = hard_end(r, i) ||
			   (!r->v[i].name_next && i + 1 - a >= TEXT_MIN_WORDS &&
			    gap_after(r, i) >= pause);

		if (!end)
			continue;
		emit_bounded(r, a, i + 1, n, o->proper_nouns, out);
		a = i + 1;
	}
	run_clear(r);
}

void text_sentences(struct segment_list *l, const struct text_options *o)
{
	struct segment_list out = SEGMENT_LIST_INIT;
	struct run r = { NULL, 0, 0 };
	struct names n;

	names_init(&n, o);
	for (size_t i = 0; i < l->nr; i++) {
		if (l->items[i].nr_words) {
			run_add(&r, &l->items[i]);
			continue;
		}
		cut_run(&r, &n, o, &out);
		segment_list_push_copy(&out, &l->items[i]);
	}
	cut_run(&r, &n, o, &out);
	segment_list_release(l);
	*l = out;
	free(r.v);
	names_release(&n);
}
