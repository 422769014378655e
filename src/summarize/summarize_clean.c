/*
 * summarize_clean.c - transcript text to cleaned sentences; see summarize.h.
 *
 * Word-level cleaning (timestamps, speaker labels, filler, repeated words)
 * happens line by line into a work buffer that keeps line breaks as
 * segmentation hints; the sentences are then cut and those that are
 * sponsor reads, intros or outros are dropped.
 */
#include "summarize/summarize.h"
#include "transcript/transcript.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The work buffer and where its last word starts (for in-place edits). */
struct work {
	struct sbuf sb;
	size_t last;        /* offset of the last word on the current line */
	bool has_last;
};

/* ---- timestamps and labels -------------------------------------------- */

static size_t digits(const char *p, size_t max)
{
	size_t n = 0;

	while (n < max && isdigit((unsigned char)p[n]))
		n++;
	return n;
}

/*
 * Length of a timestamp token at p ("00:01:02", "[00:01]", "(1:02:03)",
 * "00:01.500"), or 0.  *strong is set unless it is a bare "mm:ss", which
 * could be a clock time and is only removed at the start of a line.
 */
static size_t timestamp_len(const char *p, bool *strong)
{
	const char *s = p;
	char close = *p == '[' ? ']' : *p == '(' ? ')' : 0;
	int parts = 1;
	size_t d;

	s += close != 0;
	if (!(d = digits(s, 2)))
		return 0;
	s += d;
	while (*s == ':' && digits(s + 1, 3) == 2 && parts < 3)
		s += 3, parts++;
	if (parts < 2)
		return 0;
	*strong = close || parts == 3;
	if ((*s == '.' || *s == ',') && (d = digits(s + 1, 6)))
		s += 1 + d, *strong = true;
	if (close && *s++ != close)
		return 0;
	if (*s && !isspace((unsigned char)*s) && !strchr(",;:-", *s))
		return 0;
	return (size_t)(s - p) + (*s && strchr(",;:", *s) ? 1 : 0);
}

static bool label_word(const char *s, size_t n, bool first)
{
	unsigned char c = (unsigned char)s[0];

	if (!n || (first ? !(isupper(c) || c >= 0x80) : !(isupper(c) || isdigit(c) || c >= 0x80)))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80 ||
		      strchr("_.'-", s[i])))
			return false;
	return true;
}

/* Past "Jane Doe: ", "SPEAKER 1: ", "HOST: " at p, or p itself. */
static const char *skip_label(const char *p)
{
	static const char *const not_labels[] = {
		"chapter", "correction", "disclaimer", "edit", "episode", "example", "http",
		"https", "note", "part", "season", "step", "summary", "tip", "update", "warning",
	};
	const char *s = p;

	for (int words = 0; words < 4; words++) {
		size_t n = strcspn(s, " \t:\n");

		if (!label_word(s, n, words == 0))
			return p;
		for (size_t i = 0; !words && i < ARRAY_SIZE(not_labels); i++)
			if (strlen(not_labels[i]) == n && !strncasecmp(s, not_labels[i], n))
				return p;
		s += n;
		if (*s == ':' && (s[1] == ' ' || s[1] == '\t' || !s[1] || s[1] == '\n'))
			return s - p <= 40 ? s + 1 : p;
		if (*s != ' ')
			return p;
		s++;
	}
	return p;
}

/* ---- words --------------------------------------------------------------- */

static size_t trailing_punct(const char *s, size_t n)
{
	size_t k = 0;

	while (k < n && strchr(",.!?;:", s[n - 1 - k]))
		k++;
	return k;
}

static bool is_filler(const char *s, size_t n)
{
	static const char *const fillers[] = {
		"erm", "hm", "hmm", "hmmm", "mhm", "mm", "uh", "uhh", "um", "umm",
	};

	for (size_t i = 0; i < ARRAY_SIZE(fillers); i++)
		if (strlen(fillers[i]) == n && !strncasecmp(s, fillers[i], n))
			return true;
	return false;
}

static char last_char(const struct work *w)
{
	return w->sb.len ? w->sb.buf[w->sb.len - 1] : 0;
}

static void emit(struct work *w, const char *s, size_t n)
{
	if (w->has_last || (w->sb.len && last_char(w) != '\n'))
		sbuf_addch(&w->sb, ' ');
	w->last = w->sb.len;
	w->has_last = true;
	sbuf_add(&w->sb, s, n);
}

/* A filler went: keep its full stop, drop the comma that introduced it. */
static void drop_filler(struct work *w, const char *punct, size_t n)
{
	char stop = 0;

	for (size_t i = 0; i < n; i++)
		if (strchr(".!?", punct[i]))
			stop = punct[i];
	if (!w->has_last)
		return;
	if (last_char(w) == ',' && (stop || (n && punct[0] == ',')))
		sbuf_setlen(&w->sb, w->sb.len - 1);
	if (stop && !strchr(".!?", last_char(w)))
		sbuf_addch(&w->sb, stop);
}

/* "the the" -> "the": true when s repeats the last word (which has no punctuation). */
static bool repeats_last(const struct work *w, const char *s, size_t n)
{
	const char *last = w->sb.buf + w->last;
	size_t ln = w->sb.len - w->last, core = n - trailing_punct(s, n);

	if (!w->has_last || ln != core || !core || !isalpha((unsigned char)s[0]))
		return false;
	if ((core == 4 && !strncasecmp(s, "that", 4)) || (core == 3 && !strncasecmp(s, "had", 3)))
		return false;
	return !strncasecmp(last, s, core);
}

static void clean_word(struct work *w, const char *s, size_t n)
{
	size_t tp = trailing_punct(s, n);

	if (is_filler(s, n - tp)) {
		drop_filler(w, s + n - tp, tp);
		return;
	}
	if (repeats_last(w, s, n)) {
		sbuf_setlen(&w->sb, w->last);
		sbuf_add(&w->sb, s, n);
		return;
	}
	emit(w, s, n);
}

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && isspace((unsigned char)*p))
		p++;
	return p;
}

/* Leading timestamps and one speaker label. */
static const char *line_start(const char *p, const char *end)
{
	bool strong, labelled = false;
	size_t n;

	for (;;) {
		p = skip_space(p, end);
		if ((n = timestamp_len(p, &strong)) && p + n <= end) {
			p += n;
		} else if (end - p >= 3 && !strncmp(p, "-->", 3)) {
			p += 3;
		} else if (!labelled) {
			const char *q = skip_label(p);
			labelled = true;
			if (q == p || q > end)
				return p;
			p = q;
		} else {
			return p;
		}
	}
}

/* Cleans the words of one line [p, end) into w. */
static void clean_line(struct work *w, const char *p, const char *end)
{
	p = line_start(p, end);
	while (p < end) {
		const char *s = p, *t;
		size_t n, tn;
		bool strong;

		while (p < end && !isspace((unsigned char)*p))
			p++;
		n = (size_t)(p - s);
		p = skip_space(p, end);
		t = p;
		while (t < end && !isspace((unsigned char)*t))
			t++;
		tn = (size_t)(t - p);
		if ((timestamp_len(s, &strong) == n && strong) || (n == 3 && !strncmp(s, "-->", 3)))
			continue;
		/* "you know," and "like," as fillers, only when followed by a comma. */
		if (n == 3 && !strncasecmp(s, "you", 3) && tn == 5 && !strncasecmp(p, "know,", 5)) {
			drop_filler(w, ",", 1);
			p = skip_space(t, end);
			continue;
		}
		if (n == 5 && !strncasecmp(s, "like,", 5)) {
			drop_filler(w, ",", 1);
			continue;
		}
		clean_word(w, s, n);
	}
}

/* Ends the current line; two newlines mark a strong boundary (pause). */
static void work_break(struct work *w, int newlines)
{
	int have = 0;

	while ((size_t)have < w->sb.len && w->sb.buf[w->sb.len - 1 - have] == '\n')
		have++;
	for (; w->sb.len && have < newlines; have++)
		sbuf_addch(&w->sb, '\n');
	w->has_last = false;
}

/* ---- sentences to drop ----------------------------------------------------- */

/* ASCII-lowercased copy with typographic apostrophes made plain. */
static void lower_copy(const char *s, struct sbuf *out)
{
	sbuf_reset(out);
	for (; *s; s++) {
		if (!strncmp(s, "\xe2\x80\x99", 3)) {
			sbuf_addch(out, '\'');
			s += 2;
		} else {
			sbuf_addch(out, tolower((unsigned char)*s));
		}
	}
}

static bool has_any(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strstr(s, list[i]))
			return true;
	return false;
}

static bool opens_sponsor_read(const char *s)
{
	static const char *const p[] = {
		"brought to you by", "sponsored by", "episode is supported by",
		"show is supported by", "podcast is supported by", "today's sponsor",
		"our sponsor", "a word from our sponsor", "thanks to our sponsor",
	};

	return has_any(s, p, ARRAY_SIZE(p));
}

/*
 * "promo code", "go to acme dot com slash pod", "visit acme.com/pod"; "use
 * code" only with an offer in the same sentence, since "we use code review"
 * is no advertisement.
 */
static bool is_call_to_action(const char *s)
{
	static const char *const p[] = {
		"promo code", "offer code", "discount code", "coupon code", ".com/",
		".com slash", "dot com slash",
	};
	static const char *const use[] = { "use code", "use the code" };
	static const char *const offer[] = {
		" percent", "% off", " off your", " off at", " off when", "checkout",
		"discount", "free trial", ".com", " dot com",
	};
	static const char *const go[] = { "go to ", "visit ", "head to ", "head over to " };

	if (has_any(s, p, ARRAY_SIZE(p)) ||
	    (has_any(s, use, ARRAY_SIZE(use)) && has_any(s, offer, ARRAY_SIZE(offer))))
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(go); i++) {
		const char *g = strstr(s, go[i]);
		if (g && (strstr(g, ".com") || strstr(g, " dot com")))
			return true;
	}
	return false;
}

static bool is_intro_or_outro(const char *s)
{
	static const char *const p[] = {
		"welcome to the show", "welcome to the podcast", "welcome back to the show",
		"welcome to another episode", "welcome to episode", "welcome back to",
		"thanks for listening", "thank you for listening", "thanks so much for listening",
		"thank you so much for listening", "thanks for tuning in",
		"thank you for tuning in", "subscribe", "rate and review", "rate, review",
		"leave us a review", "leave a review", "see you next time", "see you next week",
		"until next time", "that's all for today", "that's it for today",
		"that's all for this episode", "that's it for this episode",
		"wherever you get your podcasts", "follow us on",
	};

	return has_any(s, p, ARRAY_SIZE(p));
}

#define SPONSOR_READ_SPAN 5   /* sentences a sponsor read may run after its opening */

/* Marks drop[i] for sponsor reads (opening to call to action), intros, outros. */
static void mark_drops(const struct strlist *sent, bool *drop)
{
	struct sbuf lo = SBUF_INIT(SBUF_NOLIMIT);
	bool *cta = pc_calloc(sent->nr + 1, sizeof(*cta));
	bool *open = pc_calloc(sent->nr + 1, sizeof(*open));

	for (size_t i = 0; i < sent->nr; i++) {
		lower_copy(sent->items[i], &lo);
		cta[i] = is_call_to_action(lo.buf);
		open[i] = opens_sponsor_read(lo.buf);
		drop[i] = cta[i] || open[i] || is_intro_or_outro(lo.buf);
	}
	for (size_t i = 0; i < sent->nr; i++) {
		if (!open[i])
			continue;
		for (size_t j = i + 1; j < sent->nr && j <= i + SPONSOR_READ_SPAN; j++) {
			if (!cta[j])
				continue;
			for (size_t k = i; k <= j; k++)
				drop[k] = true;
			break;
		}
	}
	free(cta);
	free(open);
	sbuf_release(&lo);
}

static int emit_sentences(const char *work, struct sbuf *out)
{
	struct strlist sent = STRLIST_INIT;
	bool *drop;
	int ret = 0;

	summarize_split_sentences(work, &sent);
	drop = pc_calloc(sent.nr + 1, sizeof(*drop));
	mark_drops(&sent, drop);
	for (size_t i = 0; i < sent.nr && !ret; i++) {
		size_t len = out->len;

		if (drop[i])
			continue;
		if (sbuf_adds(out, sent.items[i]) < 0 || sbuf_addch(out, '\n') < 0) {
			if (out->alloc)
				sbuf_setlen(out, len);
			ret = -PC_ETOOBIG;
		}
	}
	free(drop);
	strlist_release(&sent);
	return ret;
}

int summarize_clean(const char *text, struct sbuf *out)
{
	struct work w = { SBUF_INIT(SBUF_NOLIMIT), 0, false };
	const char *p = text ? text : "";
	int ret;

	while (*p) {
		const char *nl = strchr(p, '\n'), *end = nl ? nl : p + strlen(p);

		if (skip_space(p, end) == end) {
			work_break(&w, 2);
		} else {
			clean_line(&w, p, end);
			work_break(&w, 1);
		}
		p = nl ? nl + 1 : end;
	}
	ret = emit_sentences(w.sb.buf, out);
	sbuf_release(&w.sb);
	return ret;
}

int summarize_clean_segments(const struct segment_list *l, struct sbuf *out)
{
	struct work w = { SBUF_INIT(SBUF_NOLIMIT), 0, false };
	int ret;

	for (size_t i = 0; l && i < l->nr; i++) {
		const struct segment *s = &l->items[i], *prev = i ? &l->items[i - 1] : NULL;
		const char *text = s->text ? s->text : "";

		if (prev && s->start >= 0 && prev->end >= 0 && s->start - prev->end >= SUMMARIZE_PAUSE)
			work_break(&w, 2);
		else if (prev && (s->start < 0 || prev->end < 0))
			work_break(&w, 1);
		clean_line(&w, text, text + strlen(text));
	}
	ret = emit_sentences(w.sb.buf, out);
	sbuf_release(&w.sb);
	return ret;
}

long summarize_word_count(const char *text)
{
	long n = 0;
	bool in = false, counted = false;

	for (const char *p = text ? text : ""; ; p++) {
		if (!*p || isspace((unsigned char)*p)) {
			n += in && counted;
			in = counted = false;
			if (!*p)
				return n;
			continue;
		}
		in = true;
		counted |= isalnum((unsigned char)*p) || (unsigned char)*p >= 0x80;
	}
}
