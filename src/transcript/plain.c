/*
 * plain.c - plain-text transcripts.
 *
 * One segment per non-empty line, except that a "Name: text" line opens a
 * speaker turn which the following lines of the same paragraph continue
 * (a blank line or another "Name:" line ends it).  So both one-line-a-turn
 * files and screenplays with wrapped lines come out one segment a turn.
 */
#include "transcript/tr_internal.h"

struct plain {
	struct sbuf text;
	struct sbuf speaker;    /* non-empty while a speaker turn is open */
	struct sbuf unmarked;   /* the line without its time marker */
	bool label_only;        /* the turn's label stood alone on its line */
	struct segment_list *out;
};

#define MARKER_SEARCH 64    /* time markers are looked for this far into a line */

/* Length of a time marker at s ("[00:12]", "(1:02:03)", "00:12"), else 0. */
static size_t time_marker(const char *s, size_t n)
{
	char close = s[0] == '[' ? ']' : s[0] == '(' ? ')' : 0;
	size_t i = close ? 1 : 0, start = i;
	bool colon = false;

	while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == ':' || s[i] == '.')) {
		colon |= s[i] == ':';
		i++;
	}
	if (i == start || !colon || s[start] < '0' || s[start] > '9' || s[i - 1] == ':')
		return 0;
	if (close)
		return i < n && s[i] == close ? i + 1 : 0;
	return i == n || s[i] == ' ' || s[i] == '\t' ? i : 0;
}

/*
 * The line without the first time marker near its start; false when none.
 * *leading tells whether the marker opened the line.
 */
static bool strip_marker(const char *s, size_t n, struct sbuf *out, bool *leading)
{
	for (size_t p = 0; p < n && p < MARKER_SEARCH; p++) {
		size_t m;

		if ((p && s[p - 1] != ' ' && s[p - 1] != '\t') || !(m = time_marker(s + p, n - p)))
			continue;
		*leading = p == 0;
		sbuf_reset(out);
		sbuf_add(out, s, p);
		tr_rtrim(out);
		while (p + m < n && (s[p + m] == ' ' || s[p + m] == '\t'))
			m++;
		if (out->len && p + m < n && s[p + m] != ':')
			sbuf_addch(out, ' ');
		sbuf_add(out, s + p + m, n - p - m);
		tr_rtrim(out);
		return true;
	}
	return false;
}

static void flush(struct plain *p)
{
	tr_rtrim(&p->text);
	if (p->text.len)
		segment_list_push(p->out, -1, -1, p->speaker.buf, p->text.buf);
	sbuf_reset(&p->text);
	sbuf_reset(&p->speaker);
	p->label_only = false;
}

static void open_turn(struct plain *p, const char *name, size_t n, bool label_only)
{
	flush(p);
	sbuf_add(&p->speaker, name, n);
	p->label_only = label_only;
}

/* "Name: text" or a name alone: a marker inside such a line is only a time. */
static bool is_label(const struct sbuf *sb)
{
	size_t nl;
	const char *rest;

	return tr_split_speaker(sb->buf, sb->len, &nl, &rest) || tr_is_speaker_name(sb->buf, sb->len);
}

static void plain_line(struct plain *p, const char *line, size_t n)
{
	const char *rest;
	size_t nl;
	bool marked, leading = false;

	while (n && (*line == ' ' || *line == '\t'))
		line++, n--;
	if (tr_is_blank(line, n)) {
		if (!p->label_only || p->text.len)
			flush(p);
		return;
	}
	marked = strip_marker(line, n, &p->unmarked, &leading);
	if (marked && (leading || is_label(&p->unmarked))) {
		line = p->unmarked.buf;
		n = p->unmarked.len;
	}
	if (tr_split_speaker(line, n, &nl, &rest)) {
		open_turn(p, line, nl, false);
		tr_add_collapsed(&p->text, rest, (size_t)(line + n - rest));
		return;
	}
	if (marked && tr_is_speaker_name(line, n)) {
		open_turn(p, line, n, true);
		return;
	}
	if (!p->speaker.len)
		flush(p);
	else
		tr_add_collapsed(&p->text, " ", 1);
	tr_add_collapsed(&p->text, line, n);
	if (!p->speaker.len)
		flush(p);
}

int tr_parse_text(const char *data, size_t len, struct segment_list *out, struct sbuf *err)
{
	struct plain p = { SBUF_INIT(SBUF_NOLIMIT), SBUF_INIT(SBUF_NOLIMIT),
			   SBUF_INIT(SBUF_NOLIMIT), false, out };
	struct tr_lines it;
	const char *line;
	size_t n;

	(void)err;
	tr_lines_init(&it, data, len);
	while (tr_lines_next(&it, &line, &n))
		plain_line(&p, line, n);
	flush(&p);
	sbuf_release(&p.text);
	sbuf_release(&p.speaker);
	sbuf_release(&p.unmarked);
	return 0;
}
