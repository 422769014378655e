/*
 * vtt.c - WebVTT parser.
 *
 * A line-driven state machine after the WebVTT parsing algorithm: the header
 * block, then blocks separated by blank lines, each a cue (optional id line,
 * timing line, text lines) or a NOTE / STYLE / REGION block to skip.  It is
 * lenient where a file is plainly salvageable (no header before good cues,
 * no blank line between two cues, stray text blocks) and strict on timing
 * lines: a "-->" line with a bad timestamp is an error naming the line.
 * Outside cue text, lines of white space count as blank.
 */
#include "transcript/tr_internal.h"

#include <string.h>

enum vtt_state { V_HEADER, V_BETWEEN, V_ID, V_TEXT, V_SKIP };

struct vtt {
	enum vtt_state state;
	double start, end;
	struct sbuf raw;       /* text lines of the current cue, '\n'-joined */
	struct sbuf text;      /* scratch for flush_cue(), kept to reuse its memory */
	struct sbuf voice;
	struct segment_list *out;
	size_t cues;
};

static void flush_cue(struct vtt *v)
{
	sbuf_reset(&v->text);
	sbuf_reset(&v->voice);
	tr_clean_cue(v->raw.buf, v->raw.len, &v->text, &v->voice);
	if (v->text.len)
		tr_push(v->out, v->start, v->end, v->voice.buf, v->voice.len, v->text.buf,
			v->text.len);
	sbuf_reset(&v->raw);
}

/* A timing line: starts a cue (ending the one in progress), or fails. */
static int timing(struct vtt *v, const char *line, size_t n, size_t lineno, struct sbuf *err)
{
	const char *bad;
	size_t bad_len;
	double start, end;

	if (!tr_parse_timing(line, n, &start, &end, &bad, &bad_len)) {
		sbuf_addf(err, "VTT line %zu: bad timestamp ", lineno);
		tr_quote(err, bad, bad_len);
		return -PC_EPARSE;
	}
	if (v->state == V_TEXT)
		flush_cue(v);
	v->start = start;
	v->end = end;
	v->state = V_TEXT;
	v->cues++;
	return 0;
}

static bool skipped_block(const char *line, size_t n)
{
	return tr_starts_with_word(line, n, "NOTE") || tr_starts_with_word(line, n, "STYLE") ||
	       tr_starts_with_word(line, n, "REGION");
}

static int vtt_line(struct vtt *v, const char *line, size_t n, size_t lineno, struct sbuf *err)
{
	bool blank = tr_is_blank(line, n);

	if (v->state != V_BETWEEN && v->state != V_TEXT && blank) {
		v->state = V_BETWEEN;
		return 0;
	}
	switch (v->state) {
	case V_BETWEEN:
		if (blank)
			return 0;
		if (skipped_block(line, n) && !tr_has_arrow(line, n)) {
			v->state = V_SKIP;
			return 0;
		}
		if (!tr_has_arrow(line, n)) {
			v->state = V_ID;
			return 0;
		}
		return timing(v, line, n, lineno, err);
	case V_TEXT:
		/* only an empty line ends a cue: rolling captions keep " " lines */
		if (!n) {
			flush_cue(v);
			v->state = V_BETWEEN;
			return 0;
		}
		if (tr_has_arrow(line, n))
			return timing(v, line, n, lineno, err);
		if (v->raw.len)
			sbuf_addch(&v->raw, '\n');
		sbuf_add(&v->raw, line, n);
		return 0;
	case V_HEADER:
	case V_ID:
		if (tr_has_arrow(line, n))
			return timing(v, line, n, lineno, err);
		if (v->state == V_ID)
			v->state = V_SKIP;
		return 0;
	case V_SKIP:
		return 0;
	}
	return 0;
}

static bool has_header(const char *line, size_t n)
{
	return n >= 6 && !memcmp(line, "WEBVTT", 6) &&
	       (n == 6 || line[6] == ' ' || line[6] == '\t');
}

int tr_parse_vtt(const char *data, size_t len, struct segment_list *out, struct sbuf *err)
{
	struct vtt v = { V_HEADER, 0, 0, SBUF_INIT(SBUF_NOLIMIT), SBUF_INIT(SBUF_NOLIMIT),
			 SBUF_INIT(SBUF_NOLIMIT), out, 0 };
	struct tr_lines it;
	const char *line;
	size_t n;
	bool header = false;
	int r = 0;

	tr_lines_init(&it, data, len);
	while (r == 0 && tr_lines_next(&it, &line, &n)) {
		if (it.lineno == 1 && (header = has_header(line, n)))
			continue;
		if (it.lineno == 1)
			v.state = V_BETWEEN;
		r = vtt_line(&v, line, n, it.lineno, err);
	}
	if (r == 0 && v.state == V_TEXT)
		flush_cue(&v);
	if (r == 0 && !header && !v.cues) {
		sbuf_adds(err, "VTT line 1: missing WEBVTT header");
		r = -PC_EPARSE;
	}
	sbuf_release(&v.raw);
	sbuf_release(&v.text);
	sbuf_release(&v.voice);
	return r;
}
