/* Unit tests: malformed, truncated, hostile and invalid-UTF-8 transcripts. */
#include "tr_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void malformed_vtt(void **state)
{
	struct segment_list l = SEGMENT_LIST_INIT;

	(void)state;
	tr_parse_fails(TRANSCRIPT_VTT,
		       "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nok\n\n2\n"
		       "00:0x:01.000 --> 00:00:02.000\nbad\n",
		       "VTT line 7: bad timestamp '00:0x:01.000'");
	tr_parse_fails(TRANSCRIPT_VTT, "WEBVTT\r\n\r\n00:00:01.000 --> 00:00:0z.000\r\nx\r\n",
		       "VTT line 3: bad timestamp '00:00:0z.000'");
	tr_parse_fails(TRANSCRIPT_VTT, "WEBVTT\n\n00:00:60.000 --> 00:00:61.000\nx\n",
		       "VTT line 3: bad timestamp '00:00:60.000'");
	tr_parse_fails(TRANSCRIPT_VTT, "WEBVTT\n\n00:00:01.000 00:00:02.000 --> 00:00:03.000\n",
		       "VTT line 3: bad timestamp '00:00:01.000'");
	tr_parse_fails(TRANSCRIPT_VTT, "WEBVTT\n\n --> 00:00:02.000\n",
		       "VTT line 3: bad timestamp ' '");
	tr_parse_fails(TRANSCRIPT_VTT, "hello\nworld\n", "VTT line 1: missing WEBVTT header");
	tr_parse_fails(TRANSCRIPT_VTT, "", "VTT line 1: missing WEBVTT header");
	tr_parse_fails(TRANSCRIPT_VTT, "WEBVTT\n\nNOTE only a note\n", "vtt transcript holds no text");
	/* the quoted token is cut and made printable */
	tr_parse_fails(TRANSCRIPT_VTT,
		       "WEBVTT\n\n0\x01\xff" "123456789012345678901234567890123456789 --> 00:01.000\n",
		       "VTT line 3: bad timestamp '0?\xEF\xBF\xBD" "1234567890123456789012345678901"
		       "234567...'");
	/* salvageable: one cue, no header */
	tr_parse_ok(TRANSCRIPT_VTT, "1\n00:01.000 --> 00:02.000\nok\n", &l);
	expect_seg(&l, 0, 1, 2, NULL, "ok");
	segment_list_release(&l);
}

static void malformed_others(void **state)
{
	(void)state;
	tr_parse_fails(TRANSCRIPT_SRT, "1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n"
		       "00:00:03,000 --> 0:0:4\nbad\n", "SRT line 6: bad timestamp '0:0:4'");
	tr_parse_fails(TRANSCRIPT_SRT, "just text\n", NULL);
	tr_parse_fails(TRANSCRIPT_SRT, "1\n00:00:01,000 --> 00:00:02,000\n\n", NULL);
	tr_parse_fails(TRANSCRIPT_JSON, "{\"segments\": [\n{\"body\": }]}",
		       "JSON line 2: unexpected token near '}'");
	tr_parse_fails(TRANSCRIPT_JSON, "{\"version\": \"1.0.0\"}",
		       "JSON transcript has no \"segments\" array");
	tr_parse_fails(TRANSCRIPT_JSON, "{\"segments\": [{\"body\": \"\"}]}",
		       "json transcript holds no text");
	tr_parse_fails(TRANSCRIPT_HTML, "", NULL);
	tr_parse_fails(TRANSCRIPT_HTML, "<html><script>only code</script></html>", NULL);
	tr_parse_fails(TRANSCRIPT_TEXT, " \n\t\n", "txt transcript holds no text");
}

static void too_big(void **state)
{
	struct segment_list l = SEGMENT_LIST_INIT;
	struct sbuf err = SBUF_INIT(1024);

	(void)state;
	/* refused from its length alone, before a byte is read */
	assert_int_equal(transcript_parse(TRANSCRIPT_TEXT, "x", TRANSCRIPT_MAX_BYTES + 1, &l,
					  &err), -PC_ETOOBIG);
	assert_int_equal(l.nr, 0);
	assert_true(err.len > 0);
	sbuf_release(&err);
}

static void invalid_utf8_repaired(void **state)
{
	static const char vtt[] = "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Al\xff>a\xc3\x28 b\xed\xa0\x80"
				  "\xf0\x9f\x8e\x99 &#xD800; &#0; &#233;\n";
	struct segment_list l = SEGMENT_LIST_INIT, back = SEGMENT_LIST_INIT;
	struct sbuf out = SBUF_INIT(SBUF_NOLIMIT);

	(void)state;
	tr_parse_ok(TRANSCRIPT_VTT, vtt, &l);
	expect_seg(&l, 0, 1, 2, "Al\xEF\xBF\xBD",
		   "a\xEF\xBF\xBD( b\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xf0\x9f\x8e\x99"
		   " \xEF\xBF\xBD \xEF\xBF\xBD \xC3\xA9");
	transcript_to_segments_json(&l, &out);
	tr_parse_ok(TRANSCRIPT_JSON, out.buf, &back);
	tr_expect_same(&l, &back);
	sbuf_release(&out);
	segment_list_release(&l);
	segment_list_release(&back);

	/* NUL bytes inside the data do not cut it short */
	assert_int_equal(transcript_parse(TRANSCRIPT_TEXT, "one\0two\nthree", 13, &l, &out), 0);
	assert_int_equal(l.nr, 2);
	expect_seg(&l, 0, -1, -1, NULL, "one two");
	segment_list_release(&l);
}

/* Every format on every prefix of doc, each in a buffer of its exact size so
 * that ASan sees any read past the end. */
static void every_prefix(const char *doc)
{
	static const enum transcript_format formats[] = {
		TRANSCRIPT_VTT, TRANSCRIPT_SRT, TRANSCRIPT_JSON, TRANSCRIPT_HTML,
		TRANSCRIPT_TEXT, TRANSCRIPT_UNKNOWN,
	};
	size_t len = strlen(doc);

	for (size_t n = 0; n <= len; n++) {
		char *buf = malloc(n ? n : 1);

		memcpy(buf, doc, n);
		transcript_detect(NULL, NULL, NULL, buf, n);
		for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); f++) {
			struct segment_list l = SEGMENT_LIST_INIT;
			struct sbuf err = SBUF_INIT(4096);
			int r = transcript_parse(formats[f], buf, n, &l, &err);

			assert_true(r == 0 || r == -PC_EPARSE);
			assert_true(r == 0 ? l.nr > 0 && !err.len : l.nr == 0 && err.len);
			for (size_t i = 0; i < l.nr; i++)
				assert_true(l.items[i].text[0] != '\0');
			segment_list_release(&l);
			sbuf_release(&err);
		}
		free(buf);
	}
}

static void prefixes_never_crash(void **state)
{
	struct segment_list l = SEGMENT_LIST_INIT;

	(void)state;
	every_prefix(tr_rich_vtt);
	every_prefix(tr_rich_json);
	/* and the whole documents do parse */
	tr_parse_ok(TRANSCRIPT_JSON, tr_rich_json, &l);
	assert_int_equal(l.nr, 4);
	expect_seg(&l, 0, 0.5, 1.25, "Alice", "Hi \xC3\xA9");
	expect_seg(&l, 1, 2, 3, NULL, "tab and \"q\"");
	expect_seg(&l, 2, 4, 5.5, "Bob", "own shape");
	expect_seg(&l, 3, -1, -1, NULL, "nested ignored");
	segment_list_release(&l);
}

/* n copies of open, then text, then n copies of close. */
static char *nested(const char *open, const char *text, const char *close, size_t n)
{
	struct sbuf sb = SBUF_INIT(SBUF_NOLIMIT);

	for (size_t i = 0; i < n; i++)
		sbuf_adds(&sb, open);
	sbuf_adds(&sb, text);
	for (size_t i = 0; i < n; i++)
		sbuf_adds(&sb, close);
	return sbuf_detach(&sb, NULL);
}

static void deep_nesting_bounded(void **state)
{
	struct segment_list l = SEGMENT_LIST_INIT;
	struct sbuf err = SBUF_INIT(4096);
	char *html = nested("<div><span>", "deep", "</span></div>", 50000);
	char *json = nested("[", "{\"body\":\"x\"}", "]", 100000);
	char *tags = nested("<v.a.b.c Deep>", "x", "</v>", 100000);
	struct sbuf vtt = SBUF_INIT(SBUF_NOLIMIT);
	int r;

	(void)state;
	r = transcript_parse(TRANSCRIPT_HTML, html, strlen(html), &l, &err);
	assert_true(r == 0 || r == -PC_EPARSE);
	segment_list_release(&l);
	sbuf_reset(&err);
	assert_int_equal(transcript_parse(TRANSCRIPT_JSON, json, strlen(json), &l, &err),
			 -PC_EPARSE);
	sbuf_reset(&err);
	sbuf_adds(&vtt, "WEBVTT\n\n00:01.000 --> 00:02.000\n");
	sbuf_adds(&vtt, tags);
	assert_int_equal(transcript_parse(TRANSCRIPT_VTT, vtt.buf, vtt.len, &l, &err), 0);
	expect_seg(&l, 0, 1, 2, "Deep", "x");
	segment_list_release(&l);
	sbuf_release(&vtt);
	free(html);
	free(json);
	free(tags);
	sbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(malformed_vtt),
		cmocka_unit_test(malformed_others),
		cmocka_unit_test(too_big),
		cmocka_unit_test(invalid_utf8_repaired),
		cmocka_unit_test(prefixes_never_crash),
		cmocka_unit_test(deep_nesting_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
