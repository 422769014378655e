/* tr_check.c - assertions on segment lists for the transcript tests. */
#include "tr_check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tr_expect_seg(const struct segment_list *l, size_t i, double start, double end,
		   const char *speaker, const char *text, const char *file, int line)
{
	const struct segment *s;

	if (i >= l->nr) {
		fprintf(stderr, "%s:%d: segment %zu of %zu\n", file, line, i, l->nr);
		fail();
	}
	s = &l->items[i];
	if (fabs(s->start - start) > 1e-6 || fabs(s->end - end) > 1e-6 ||
	    (!speaker) != (!s->speaker) || (speaker && strcmp(speaker, s->speaker)) ||
	    strcmp(text, s->text)) {
		fprintf(stderr, "%s:%d: segment %zu is [%.3f %.3f %s \"%s\"], want "
			"[%.3f %.3f %s \"%s\"]\n", file, line, i, s->start, s->end,
			s->speaker ? s->speaker : "(none)", s->text, start, end,
			speaker ? speaker : "(none)", text);
		fail();
	}
}

void tr_parse_ok(enum transcript_format f, const char *s, struct segment_list *out)
{
	struct sbuf err = SBUF_INIT(4096);
	int r = transcript_parse(f, s, strlen(s), out, &err);

	if (r)
		fprintf(stderr, "parse failed: %d %s\n", r, err.buf);
	assert_int_equal(r, 0);
	assert_string_equal(err.buf, "");
	sbuf_release(&err);
}

void tr_parse_fails(enum transcript_format f, const char *s, const char *want)
{
	struct segment_list l = SEGMENT_LIST_INIT;
	struct sbuf err = SBUF_INIT(4096);

	segment_list_push(&l, 1, 2, "Kept", "kept");
	assert_int_equal(transcript_parse(f, s, strlen(s), &l, &err), -PC_EPARSE);
	assert_int_equal(l.nr, 1);
	assert_string_equal(l.items[0].text, "kept");
	assert_true(err.len > 0);
	if (want)
		assert_string_equal(err.buf, want);
	sbuf_release(&err);
	segment_list_release(&l);
}

void tr_expect_same(const struct segment_list *a, const struct segment_list *b)
{
	assert_int_equal(a->nr, b->nr);
	for (size_t i = 0; i < a->nr; i++) {
		const struct segment *x = &a->items[i];

		tr_expect_seg(b, i, x->start < 0 ? -1 : round(x->start * 1000) / 1000,
			      x->end < 0 ? -1 : round(x->end * 1000) / 1000, x->speaker, x->text,
			      __FILE__, __LINE__);
		assert_int_equal(x->nr_words, b->items[i].nr_words);
		for (size_t k = 0; k < x->nr_words; k++) {
			const struct word *w = &x->words[k], *v = &b->items[i].words[k];

			assert_string_equal(w->text, v->text);
			assert_true(fabs(round(w->start * 1000) / 1000 - v->start) < 1e-9);
			assert_true(fabs(round(w->end * 1000) / 1000 - v->end) < 1e-9);
		}
	}
}

/* Written with '\n'; the tests also feed it with CRLF and CR endings. */
const char tr_rich_vtt[] =
	"\xEF\xBB\xBFWEBVTT - Episode 12\n"
	"Kind: captions\n"
	"Language: en\n"
	"\n"
	"STYLE\n"
	"::cue { color: white }\n"
	"\n"
	"NOTE This comment\n"
	"spans two lines\n"
	"\n"
	"REGION\n"
	"id:fred width:40%\n"
	"\n"
	"intro\n"
	"00:00:01.000 --> 00:00:04.500 align:start position:10%\n"
	"<v Alice Smith>Welcome to the <i>show</i>,\n"
	"everyone &amp; friends.\n"
	"\n"
	"2\n"
	"00:04.500 --> 00:07.250\n"
	"<v.loud Bob>I'm <b><u>glad</u></b> &lt;really&gt; to be here<00:00:05.000>"
	" <c.yellow.bg_blue>today</c>&nbsp;!\n"
	"\n"
	"NOTE\n"
	"a note between cues\n"
	"\n"
	"01:02:03.004 --> 01:02:05.000 line:0\n"
	"<v Alice Smith>Tom &amp; Jerry</v> <v Bob>say hi</v>\n"
	"\n"
	"\n"
	"\n"
	"00:00:10.000   -->   00:00:11.000\n"
	"<lang en>Plain</lang> <ruby>\xE6\xBC\xA2<rt>kan</rt></ruby> cue&lrm; text\n"
	"\n"
	"00:00:12.000 --> 00:00:13.000\n"
	"<v>Nameless voice</v>\n";

const char tr_rich_json[] =
	"{\"version\": \"1.0.0\", \"segments\": [\n"
	"  {\"speaker\": \"Alice\", \"startTime\": 0.5, \"endTime\": 1.25, \"body\": \"Hi \\u00e9\"},\n"
	"  {\"speaker\": null, \"startTime\": \"2\", \"endTime\": 3, \"body\": \"tab\\tand \\\"q\\\"\"},\n"
	"  {\"start\": 4, \"end\": 5.5, \"speaker\": \"Bob\", \"text\": \"own shape\"},\n"
	"  {\"body\": \"nested ignored\", \"extra\": {\"a\": [1, [2, [3]]]}}\n"
	"]}\n";
