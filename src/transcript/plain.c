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
	struct segment_list *out;
};

static void flush(struct plain *p)
{
	tr_rtrim(&p->text);
	if (p->text.len)
		segment_list_push(p->out, -1, -1, p->speaker.buf, p->text.buf);
	sbuf_reset(&p->text);
	sbuf_reset(&p->speaker);
}

static void plain_line(struct plain *p, const char *line, size_t n)
{
	const char *rest;
	size_t nl;

	while (n && (*line == ' ' || *line == '\t'))
		line++, n--;
	if (tr_is_blank(line, n)) {
		flush(p);
		return;
	}
	if (tr_split_speaker(line, n, &nl, &rest)) {
		flush(p);
		sbuf_add(&p->speaker, line, nl);
		tr_add_collapsed(&p->text, rest, (size_t)(line + n - rest));
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
	struct plain p = { SBUF_INIT(SBUF_NOLIMIT), SBUF_INIT(SBUF_NOLIMIT), out };
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
	return 0;
}
