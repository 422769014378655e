/*
 * summarize_textrank.c - the embedded extractive summarizer; see
 * summarize.h for the method.
 *
 * Data layout, for speed on long transcripts: each sentence's distinct stem
 * ids sit sorted in one flat array (CSR), an inverted index maps each stem
 * to the sentences holding it, and the similarity graph is built by walking
 * postings lists, so sentences sharing no stem cost nothing.
 */
#include "summarize/summarize.h"

#include <ctype.h>
#include <libstemmer.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DAMPING 0.85
#define TOLERANCE 1e-6
#define MAX_ITERATIONS 100
#define REDUNDANT 0.6          /* cosine of stem sets above which a sentence repeats another */
#define MIN_WORDS 6            /* sentences preferred in a summary: 6..60 words */
#define MAX_WORDS 60
#define MIN_TERMS 3
#define WHOLE_WORDS 5          /* summaries and key points: sentences of at least this many */
#define SHORT_POINT 25         /* key points prefer sentences up to this many words */
#define LONG_LINE 80           /* a line longer than this is split again */
#define COMMON_TERM_SHARE 4    /* with many sentences, skip stems in over 1/4 of them */
#define COMMON_TERM_MIN_SENTENCES 200

/* English stopwords plus the padding words of speech, sorted for bsearch. */
static const char *const stopwords[] = {
	"a", "about", "above", "actually", "after", "again", "against", "ago", "all",
	"almost", "also", "although", "always", "am", "an", "and", "another", "any",
	"anybody", "anyone", "anything", "anyway", "are", "aren't", "around", "as", "at",
	"away", "back", "basically", "be", "because", "been", "before", "being", "below",
	"between", "both", "but", "by", "can", "can't", "cannot", "come", "could", "couldn't",
	"did", "didn't", "do", "does", "doesn't", "doing", "don't", "done", "down", "during",
	"each", "either", "else", "enough", "even", "ever", "every", "everybody", "everyone",
	"everything", "few", "first", "for", "from", "further", "get", "gets", "getting",
	"go", "goes", "going", "gonna", "good", "got", "gotta", "had", "hadn't", "has",
	"hasn't", "have", "haven't", "having", "he", "he'd", "he'll", "he's", "her", "here",
	"here's", "hers", "herself", "him", "himself", "his", "how", "how's", "however", "i",
	"i'd", "i'll", "i'm", "i've", "if", "in", "into", "is", "isn't", "it", "it's", "its",
	"itself", "just", "kind", "kinda", "know", "last", "least", "less", "let", "let's",
	"like", "literally", "lot", "lots", "made", "make", "makes", "many", "may", "maybe",
	"me", "mean", "might", "mine", "more", "most", "much", "must", "mustn't", "my",
	"myself", "need", "never", "new", "next", "no", "nor", "not", "nothing", "now", "of",
	"off", "oh", "ok", "okay", "on", "once", "one", "only", "or", "other", "others",
	"ought", "our", "ours", "ourselves", "out", "over", "own", "part", "pretty",
	"probably", "put", "quite", "rather", "really", "right", "said", "same", "say",
	"says", "see", "seem", "seems", "shall", "shan't", "she", "she'd", "she'll", "she's",
	"should", "shouldn't", "so", "some", "somebody", "someone", "something", "sometimes",
	"somewhat", "sort", "stuff", "such", "sure", "take", "than", "that", "that's", "the",
	"their", "theirs", "them", "themselves", "then", "there", "there's", "these", "they",
	"they'd", "they'll", "they're", "they've", "thing", "things", "think", "this",
	"those", "though", "through", "thus", "to", "today", "too", "totally", "two", "under",
	"until", "up", "upon", "us", "use", "used", "very", "via", "wanna", "want", "was",
	"wasn't", "way", "we", "we'd", "we'll", "we're", "we've", "well", "went", "were",
	"weren't", "what", "what's", "whatever", "when", "when's", "where", "where's",
	"whether", "which", "while", "who", "who's", "whom", "whose", "why", "why's", "will",
	"with", "within", "without", "won't", "would", "wouldn't", "yeah", "yes", "yet",
	"you", "you'd", "you'll", "you're", "you've", "your", "yours", "yourself",
	"yourselves",
};

/* ---- stem dictionary ------------------------------------------------------ */

struct dict {
	uint32_t *slots;      /* id + 1; 0 is empty */
	size_t cap;
	size_t *off;          /* key i is arena.buf + off[i], len[i] bytes */
	size_t *len;
	size_t nr;
	size_t alloc;
	struct sbuf arena;
};

static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static size_t dict_find_slot(const struct dict *d, const char *s, size_t n)
{
	size_t i = fnv1a(s, n) & (d->cap - 1);

	for (;; i = (i + 1) & (d->cap - 1)) {
		uint32_t id = d->slots[i];
		if (!id || (d->len[id - 1] == n && !memcmp(d->arena.buf + d->off[id - 1], s, n)))
			return i;
	}
}

static void dict_rehash(struct dict *d)
{
	size_t cap = d->cap ? d->cap * 2 : 1024;

	free(d->slots);
	d->slots = pc_calloc(cap, sizeof(*d->slots));
	d->cap = cap;
	for (size_t id = 0; id < d->nr; id++)
		d->slots[dict_find_slot(d, d->arena.buf + d->off[id], d->len[id])] = (uint32_t)id + 1;
}

static uint32_t dict_intern(struct dict *d, const char *s, size_t n)
{
	size_t slot;

	if ((d->nr + 1) * 2 > d->cap)
		dict_rehash(d);
	slot = dict_find_slot(d, s, n);
	if (d->slots[slot])
		return d->slots[slot] - 1;
	PC_GROW(d->off, d->alloc, d->nr + 1);
	d->len = pc_realloc(d->len, d->alloc * sizeof(*d->len));
	d->off[d->nr] = d->arena.len;
	d->len[d->nr] = n;
	sbuf_add(&d->arena, s, n);
	d->slots[slot] = (uint32_t)d->nr + 1;
	return (uint32_t)d->nr++;
}

static void dict_release(struct dict *d)
{
	free(d->slots);
	free(d->off);
	free(d->len);
	sbuf_release(&d->arena);
}

/* ---- sentences and their stems ------------------------------------------- */

struct doc {
	struct strlist sent;
	size_t *words;        /* words per sentence */
	size_t *toff;         /* sentence i's stems: terms[toff[i] .. toff[i + 1]) */
	uint32_t *terms;
	size_t nterms;
	size_t alloc_terms;
	struct dict dict;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool is_stopword(const char *w)
{
	return bsearch(&w, stopwords, ARRAY_SIZE(stopwords), sizeof(*stopwords), cmp_str);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

static bool is_word_byte(unsigned char c)
{
	return isalnum(c) || c >= 0x80;
}

/* Adds the stem of the lower-cased word in w (unless a stopword or a number). */
static void add_term(struct doc *d, struct sb_stemmer *st, struct sbuf *w)
{
	const sb_symbol *stem;
	bool digits_only = true;

	if (w->len >= 2 && !strcmp(w->buf + w->len - 2, "'s"))
		sbuf_setlen(w, w->len - 2);
	for (size_t i = 0; i < w->len; i++)
		digits_only &= isdigit((unsigned char)w->buf[i]) != 0;
	if (w->len < 2 || digits_only || is_stopword(w->buf))
		return;
	stem = sb_stemmer_stem(st, (const sb_symbol *)w->buf, (int)w->len);
	if (!stem)
		return;
	PC_GROW(d->terms, d->alloc_terms, d->nterms + 1);
	d->terms[d->nterms++] = dict_intern(&d->dict, (const char *)stem,
					    (size_t)sb_stemmer_length(st));
}

/* Appends the sorted distinct stems of s; returns its word count. */
static size_t add_sentence_terms(struct doc *d, struct sb_stemmer *st, const char *s,
				 struct sbuf *w)
{
	size_t start = d->nterms, words = 0, k = start;

	for (const char *p = s; *p;) {
		while (*p && !is_word_byte((unsigned char)*p))
			p++;
		if (!*p)
			break;
		sbuf_reset(w);
		while (is_word_byte((unsigned char)*p) ||
		       (*p == '\'' && is_word_byte((unsigned char)p[1])))
			sbuf_addch(w, tolower((unsigned char)*p++));
		words++;
		add_term(d, st, w);
	}
	if (d->nterms - start > 1)
		qsort(d->terms + start, d->nterms - start, sizeof(*d->terms), cmp_u32);
	for (size_t i = start; i < d->nterms; i++)
		if (i == start || d->terms[i] != d->terms[i - 1])
			d->terms[k++] = d->terms[i];
	d->nterms = k;
	return words;
}

/* One sentence a line; lines too long to be one sentence are split again. */
static void doc_sentences(struct doc *d, const char *cleaned)
{
	struct strlist lines = STRLIST_INIT;
	const char *p = cleaned;

	while (*p && d->sent.nr < SUMMARIZE_MAX_SENTENCES) {
		size_t n = strcspn(p, "\n");
		char *line = pc_strndup(p, n);

		if (summarize_word_count(line) > LONG_LINE) {
			summarize_split_sentences(line, &lines);
			for (size_t i = 0; i < lines.nr && d->sent.nr < SUMMARIZE_MAX_SENTENCES; i++)
				strlist_push(&d->sent, lines.items[i]);
			strlist_release(&lines);
			free(line);
		} else if (summarize_word_count(line) > 0) {
			strlist_push_owned(&d->sent, line);
		} else {
			free(line);
		}
		p += n + (p[n] == '\n');
	}
}

static void doc_load(struct doc *d, struct sb_stemmer *st, const char *cleaned)
{
	struct sbuf w = SBUF_INIT(SBUF_NOLIMIT);

	sbuf_init(&d->dict.arena, SBUF_NOLIMIT);
	doc_sentences(d, cleaned);
	d->words = pc_calloc(d->sent.nr + 1, sizeof(*d->words));
	d->toff = pc_calloc(d->sent.nr + 1, sizeof(*d->toff));
	for (size_t i = 0; i < d->sent.nr; i++) {
		d->toff[i] = d->nterms;
		d->words[i] = add_sentence_terms(d, st, d->sent.items[i], &w);
	}
	d->toff[d->sent.nr] = d->nterms;
	sbuf_release(&w);
}

static void doc_release(struct doc *d)
{
	strlist_release(&d->sent);
	free(d->words);
	free(d->toff);
	free(d->terms);
	dict_release(&d->dict);
}

static size_t nterms_of(const struct doc *d, size_t i)
{
	return d->toff[i + 1] - d->toff[i];
}

/* Stems shared by sentences a and b (sorted lists, merged). */
static size_t common_terms(const struct doc *d, size_t a, size_t b)
{
	const uint32_t *x = d->terms + d->toff[a], *xe = d->terms + d->toff[a + 1];
	const uint32_t *y = d->terms + d->toff[b], *ye = d->terms + d->toff[b + 1];
	size_t n = 0;

	while (x < xe && y < ye) {
		if (*x == *y)
			n++, x++, y++;
		else if (*x < *y)
			x++;
		else
			y++;
	}
	return n;
}

/* ---- similarity graph and PageRank ---------------------------------------- */

struct graph {
	size_t *off;          /* node i's edges: nbr/w[off[i] .. off[i + 1]) */
	uint32_t *nbr;
	double *w;
	double *wsum;         /* total edge weight of each node */
};

struct edges {
	uint32_t *a, *b;
	double *w;
	size_t nr, alloc;
};

static void edges_add(struct edges *e, size_t a, size_t b, double w)
{
	if (e->nr == e->alloc) {
		e->alloc = e->alloc ? e->alloc * 2 : 1024;
		e->a = pc_realloc(e->a, e->alloc * sizeof(*e->a));
		e->b = pc_realloc(e->b, e->alloc * sizeof(*e->b));
		e->w = pc_realloc(e->w, e->alloc * sizeof(*e->w));
	}
	e->a[e->nr] = (uint32_t)a;
	e->b[e->nr] = (uint32_t)b;
	e->w[e->nr++] = w;
}

/* Postings: sentences holding stem t are post[poff[t] .. poff[t + 1]), ascending. */
static void build_postings(const struct doc *d, size_t **poff_out, uint32_t **post_out)
{
	size_t T = d->dict.nr, *poff = pc_calloc(T + 2, sizeof(*poff));
	uint32_t *post = pc_malloc((d->nterms + 1) * sizeof(*post));

	for (size_t k = 0; k < d->nterms; k++)
		poff[d->terms[k] + 2]++;
	for (size_t t = 2; t < T + 2; t++)
		poff[t] += poff[t - 1];
	for (size_t i = 0; i < d->sent.nr; i++)
		for (size_t k = d->toff[i]; k < d->toff[i + 1]; k++)
			post[poff[d->terms[k] + 1]++] = (uint32_t)i;
	*poff_out = poff;
	*post_out = post;
}

/* Edges i-j (j > i) weighted |common| / (log(1+|i|) + log(1+|j|)). */
static void build_edges(const struct doc *d, struct edges *e)
{
	size_t n = d->sent.nr, *poff, nt;
	size_t limit = n >= COMMON_TERM_MIN_SENTENCES ? n / COMMON_TERM_SHARE : n;
	uint32_t *post, *acc = pc_calloc(n + 1, sizeof(*acc));
	uint32_t *touched = pc_malloc((n + 1) * sizeof(*touched));

	build_postings(d, &poff, &post);
	for (size_t i = 0; i < n; i++) {
		nt = 0;
		for (size_t k = d->toff[i]; k < d->toff[i + 1]; k++) {
			uint32_t t = d->terms[k];
			if (poff[t + 1] - poff[t] > limit)
				continue;
			for (size_t p = poff[t + 1]; p > poff[t] && post[p - 1] > i; p--)
				if (!acc[post[p - 1]]++)
					touched[nt++] = post[p - 1];
		}
		for (size_t k = 0; k < nt; k++) {
			size_t j = touched[k];
			double den = log1p((double)nterms_of(d, i)) + log1p((double)nterms_of(d, j));
			edges_add(e, i, j, acc[j] / den);
			acc[j] = 0;
		}
	}
	free(poff);
	free(post);
	free(acc);
	free(touched);
}

static void graph_build(const struct doc *d, struct graph *g)
{
	size_t n = d->sent.nr, *fill;
	struct edges e = { 0 };

	build_edges(d, &e);
	g->off = pc_calloc(n + 2, sizeof(*g->off));
	g->nbr = pc_malloc((2 * e.nr + 1) * sizeof(*g->nbr));
	g->w = pc_malloc((2 * e.nr + 1) * sizeof(*g->w));
	g->wsum = pc_calloc(n + 1, sizeof(*g->wsum));
	for (size_t k = 0; k < e.nr; k++)
		g->off[e.a[k] + 1]++, g->off[e.b[k] + 1]++;
	for (size_t i = 1; i <= n; i++)
		g->off[i] += g->off[i - 1];
	fill = pc_malloc((n + 1) * sizeof(*fill));
	memcpy(fill, g->off, (n + 1) * sizeof(*fill));
	for (size_t k = 0; k < e.nr; k++) {
		size_t a = e.a[k], b = e.b[k];
		g->nbr[fill[a]] = (uint32_t)b, g->w[fill[a]++] = e.w[k];
		g->nbr[fill[b]] = (uint32_t)a, g->w[fill[b]++] = e.w[k];
		g->wsum[a] += e.w[k];
		g->wsum[b] += e.w[k];
	}
	free(fill);
	free(e.a);
	free(e.b);
	free(e.w);
}

static void graph_release(struct graph *g)
{
	free(g->off);
	free(g->nbr);
	free(g->w);
	free(g->wsum);
}

/* Weighted PageRank; sentences without edges share their rank evenly. */
static double *pagerank(const struct graph *g, size_t n)
{
	double *s = pc_malloc((n + 1) * sizeof(*s)), *next = pc_malloc((n + 1) * sizeof(*next));
	double *out = pc_malloc((n + 1) * sizeof(*out));

	for (size_t i = 0; i < n; i++)
		s[i] = 1.0 / (double)n;
	for (int it = 0; it < MAX_ITERATIONS; it++) {
		double dangling = 0, delta = 0, base;

		for (size_t j = 0; j < n; j++) {
			out[j] = g->wsum[j] > 0 ? s[j] / g->wsum[j] : 0;
			dangling += g->wsum[j] > 0 ? 0 : s[j];
		}
		base = (1 - DAMPING) / (double)n + DAMPING * dangling / (double)n;
		for (size_t i = 0; i < n; i++) {
			double sum = 0;
			for (size_t k = g->off[i]; k < g->off[i + 1]; k++)
				sum += g->w[k] * out[g->nbr[k]];
			next[i] = base + DAMPING * sum;
			delta += fabs(next[i] - s[i]);
		}
		memcpy(s, next, n * sizeof(*s));
		if (delta < TOLERANCE)
			break;
	}
	free(next);
	free(out);
	return s;
}

/* ---- choosing sentences --------------------------------------------------- */

struct ranked {
	double score;
	size_t idx;
};

static int cmp_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

static bool redundant(const struct doc *d, size_t a, size_t b)
{
	size_t na = nterms_of(d, a), nb = nterms_of(d, b);

	if (!strcasecmp(d->sent.items[a], d->sent.items[b]))
		return true;
	return na && nb && common_terms(d, a, b) / sqrt((double)na * (double)nb) > REDUNDANT;
}

struct chooser {
	const struct doc *d;
	const struct ranked *order;
	bool *taken;
	size_t *picked;
	size_t nr;
	size_t want;
};

struct pass {
	size_t max_words;
	bool strict;              /* only sentences of summary length and substance */
	bool whole;               /* only whole sentences that are not formulas */
	const size_t *avoid;      /* must not repeat these either */
	size_t navoid;
	const bool *exclude;
};

/* Greetings, thanks and sign-offs: they open and close shows and say
 * nothing about the episode. */
static const char *const formulas[] = {
	"welcome to", "welcome back", "thank you", "thanks for", "thanks to", "thanks so much",
	"hello", "hi everyone", "hi there", "good morning", "good evening", "good afternoon",
	"goodbye", "bye", "see you", "until next", "next time", "take care", "talk soon",
	"talk to you", "for joining", "for listening", "for tuning in", "subscribe",
	"rate and review", "that's all", "that is all", "that's it for", "signing off",
};

/* phrase occurs in s as whole words, ignoring case */
static bool has_phrase(const char *s, const char *phrase)
{
	size_t n = strlen(phrase);

	for (const char *p = s; (p = strcasestr(p, phrase)); p++)
		if ((p == s || !isalpha((unsigned char)p[-1])) && !isalpha((unsigned char)p[n]))
			return true;
	return false;
}

static bool formulaic(const char *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(formulas); i++)
		if (has_phrase(s, formulas[i]))
			return true;
	return false;
}

static bool redundant_with(const struct doc *d, size_t i, const size_t *set, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (redundant(d, i, set[k]))
			return true;
	return false;
}

static bool acceptable(const struct chooser *c, const struct pass *p, size_t i)
{
	const struct doc *d = c->d;

	if (c->taken[i] || (p->exclude && p->exclude[i]) || d->words[i] > p->max_words)
		return false;
	if (p->strict && (d->words[i] < MIN_WORDS || nterms_of(d, i) < MIN_TERMS))
		return false;
	if ((p->strict || p->whole) &&
	    (d->words[i] < WHOLE_WORDS || formulaic(d->sent.items[i])))
		return false;
	return !redundant_with(d, i, c->picked, c->nr) &&
	       !redundant_with(d, i, p->avoid, p->navoid);
}

static void choose(struct chooser *c, const struct pass *p)
{
	for (size_t k = 0; k < c->d->sent.nr && c->nr < c->want; k++) {
		size_t i = c->order[k].idx;

		if (acceptable(c, p, i)) {
			c->taken[i] = true;
			c->picked[c->nr++] = i;
		}
	}
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

static void chooser_init(struct chooser *c, const struct doc *d, const struct ranked *order,
			 size_t want)
{
	c->d = d;
	c->order = order;
	c->taken = pc_calloc(d->sent.nr + 1, sizeof(*c->taken));
	c->picked = pc_calloc(want + 1, sizeof(*c->picked));
	c->nr = 0;
	c->want = want;
}

static void chooser_finish(struct chooser *c)
{
	qsort(c->picked, c->nr, sizeof(*c->picked), cmp_size);
	free(c->taken);
	c->taken = NULL;
}

/* Whole sentences first; a transcript without any still gets its best. */
static void pick_summary(struct chooser *c)
{
	const struct pass strict = { MAX_WORDS, true, true, NULL, 0, NULL };
	const struct pass whole = { SIZE_MAX, false, true, NULL, 0, NULL };
	const struct pass any = { SIZE_MAX, false, false, NULL, 0, NULL };

	choose(c, &strict);
	choose(c, &whole);
	if (!c->nr)
		choose(c, &any);
	chooser_finish(c);
}

/* Whole sentences not in (nor repeating) the summary, short ones first. */
static void pick_key_points(struct chooser *c, const struct chooser *summary)
{
	bool *in_summary = pc_calloc(c->d->sent.nr + 1, sizeof(*in_summary));
	const struct pass passes[] = {
		{ SHORT_POINT, true, true, summary->picked, summary->nr, in_summary },
		{ MAX_WORDS, true, true, summary->picked, summary->nr, in_summary },
		{ SIZE_MAX, false, true, NULL, 0, in_summary },
	};

	for (size_t k = 0; k < summary->nr; k++)
		in_summary[summary->picked[k]] = true;
	for (size_t p = 0; p < ARRAY_SIZE(passes); p++)
		choose(c, &passes[p]);
	chooser_finish(c);
	free(in_summary);
}

static size_t key_point_count(size_t n)
{
	size_t k = SUMMARIZE_MIN_KEY_POINTS + n / 40;

	if (k > SUMMARIZE_MAX_KEY_POINTS)
		k = SUMMARIZE_MAX_KEY_POINTS;
	return k < n ? k : n;
}

/* ---- the engine ----------------------------------------------------------- */

struct textrank {
	struct sb_stemmer *stemmer;
};

/* s, with a capital and a full stop when it has none of its own. */
static void add_sentence(struct sbuf *sb, const char *s)
{
	size_t n = strlen(s), k = n;

	while (k && strchr("\"')]", s[k - 1]))
		k--;
	if (k && strchr(",;:", s[k - 1]) && k == n)
		n--;
	sbuf_add(sb, s, n);
	/* a sentence starts with a capital, also when the transcript had none */
	if (n && islower((unsigned char)sb->buf[sb->len - n]))
		sb->buf[sb->len - n] = (char)toupper((unsigned char)sb->buf[sb->len - n]);
	if (!k || !strchr(".!?", s[k - 1]))
		if (!(k >= 3 && !memcmp(s + k - 3, "\xe2\x80\xa6", 3)))
			sbuf_addch(sb, '.');
}

static void fill_summary(const struct doc *d, const struct chooser *sum,
			 const struct chooser *kp, const char *cleaned, struct summary *out)
{
	struct sbuf sb = SBUF_INIT(SBUF_NOLIMIT);

	for (size_t k = 0; k < sum->nr; k++) {
		if (k)
			sbuf_addch(&sb, ' ');
		add_sentence(&sb, d->sent.items[sum->picked[k]]);
	}
	out->short_summary = sbuf_detach(&sb, NULL);
	for (size_t k = 0; k < kp->nr; k++) {
		add_sentence(&sb, d->sent.items[kp->picked[k]]);
		strlist_push_owned(&out->key_points, sbuf_detach(&sb, NULL));
	}
	out->provider = pc_strdup(summarize_textrank_engine.name);
	out->word_count = summarize_word_count(out->short_summary);
	out->transcript_word_count = summarize_word_count(cleaned);
}

static struct ranked *rank(const struct doc *d)
{
	size_t n = d->sent.nr;
	struct ranked *order = pc_calloc(n + 1, sizeof(*order));
	struct graph g = { 0 };
	double *score;

	graph_build(d, &g);
	score = pagerank(&g, n);
	for (size_t i = 0; i < n; i++)
		order[i] = (struct ranked){ score[i], i };
	qsort(order, n, sizeof(*order), cmp_ranked);
	free(score);
	graph_release(&g);
	return order;
}

static int textrank_summarize(void *state, const char *cleaned,
			      const struct summarize_options *o, struct summary *out,
			      struct sbuf *err)
{
	struct textrank *tr = state;
	struct doc d = { 0 };
	struct chooser sum, kp;
	struct ranked *order;
	size_t want;

	(void)err;
	doc_load(&d, tr->stemmer, cleaned);
	order = rank(&d);
	want = (size_t)o->summary_sentences < d.sent.nr ? (size_t)o->summary_sentences : d.sent.nr;
	chooser_init(&sum, &d, order, want);
	pick_summary(&sum);
	chooser_init(&kp, &d, order, key_point_count(d.sent.nr));
	pick_key_points(&kp, &sum);
	fill_summary(&d, &sum, &kp, cleaned, out);
	free(sum.picked);
	free(kp.picked);
	free(order);
	doc_release(&d);
	return 0;
}

static int textrank_open(const struct summarize_config *cfg, void **state, struct sbuf *err)
{
	struct textrank *tr = pc_calloc(1, sizeof(*tr));

	(void)cfg;
	tr->stemmer = sb_stemmer_new("english", NULL);
	if (!tr->stemmer) {
		sbuf_adds(err, "textrank: the English stemmer of libstemmer is not available");
		free(tr);
		return -PC_EFAIL;
	}
	*state = tr;
	return 0;
}

static void textrank_close(void *state)
{
	struct textrank *tr = state;

	if (!tr)
		return;
	sb_stemmer_delete(tr->stemmer);
	free(tr);
}

const struct summarize_engine summarize_textrank_engine = {
	.name = "textrank",
	.open = textrank_open,
	.summarize = textrank_summarize,
	.close = textrank_close,
};
