/* Unit tests for transcript format detection and the five parsers. */
#include "tr_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strlist.h"

struct detect_case {
	const char *declared, *ctype, *url, *data;
	enum transcript_format want;
};

static const struct detect_case detect_cases[] = {
	/* declared types, exact and loose */
	{ "text/vtt", NULL, NULL, "", TRANSCRIPT_VTT },
	{ "application/x-subrip", NULL, NULL, "", TRANSCRIPT_SRT },
	{ "application/srt", NULL, NULL, "", TRANSCRIPT_SRT },
	{ "text/srt", NULL, NULL, "", TRANSCRIPT_SRT },
	{ "application/json", NULL, NULL, "", TRANSCRIPT_JSON },
	{ "text/html", NULL, NULL, "", TRANSCRIPT_HTML },
	{ "text/plain", NULL, NULL, "hello", TRANSCRIPT_TEXT },
	{ "vtt", NULL, NULL, "", TRANSCRIPT_VTT },
	{ "SRT", NULL, NULL, "", TRANSCRIPT_SRT },
	{ "application/vnd.podcast+json", NULL, NULL, "", TRANSCRIPT_JSON },
	{ "application/xhtml+xml", NULL, NULL, "", TRANSCRIPT_HTML },
	/* declared beats Content-Type beats URL beats sniffing */
	{ "text/vtt", "application/json", "https://x/t.srt", "{\"a\":1}", TRANSCRIPT_VTT },
	{ NULL, "application/json", "https://x/t.srt", "WEBVTT\n", TRANSCRIPT_JSON },
	{ "", "text/vtt; charset=utf-8", "https://x/t.json", "", TRANSCRIPT_VTT },
	{ "bogus/type", "Application/X-Subrip ;charset=x", NULL, "", TRANSCRIPT_SRT },
	{ NULL, "application/octet-stream", "https://x/t.srt?token=1#f", "", TRANSCRIPT_SRT },
	{ NULL, NULL, "https://x/a.json?next=b.vtt", "WEBVTT\n", TRANSCRIPT_JSON },
	{ NULL, NULL, "https://x/t.HTM#top", "", TRANSCRIPT_HTML },
	{ NULL, NULL, "https://x/transcript.txt", "hi", TRANSCRIPT_TEXT },
	{ NULL, NULL, "https://x.vtt/transcript", "<p>hi</p>", TRANSCRIPT_HTML },
	/* sniffing */
	{ NULL, NULL, NULL, "\xEF\xBB\xBFWEBVTT\n\n00:01.000 --> 00:02.000\nhi\n",
	  TRANSCRIPT_VTT },
	{ NULL, NULL, NULL, "WEBVTT - Title\r\n", TRANSCRIPT_VTT },
	{ NULL, NULL, NULL, "WEBVTTX\n", TRANSCRIPT_TEXT },
	{ NULL, NULL, NULL, "1\n00:00:01,000 --> 00:00:02,000\nHi\n", TRANSCRIPT_SRT },
	{ NULL, NULL, NULL, "\xEF\xBB\xBF\r\n12\r\n00:00:01,000 --> 00:00:02,000\r\n",
	  TRANSCRIPT_SRT },
	{ NULL, NULL, NULL, "1\nnot a timing line\n", TRANSCRIPT_TEXT },
	{ NULL, NULL, NULL, "  {\"segments\":[]}", TRANSCRIPT_JSON },
	{ NULL, NULL, NULL, "[{\"body\":\"x\"}]", TRANSCRIPT_JSON },
	{ NULL, NULL, NULL, "[Music] hello", TRANSCRIPT_TEXT },
	{ NULL, NULL, NULL, "<!DOCTYPE html><p>x", TRANSCRIPT_HTML },
	{ NULL, NULL, NULL, "<html><body>x", TRANSCRIPT_HTML },
	{ NULL, NULL, NULL, "<p>Hi</p>", TRANSCRIPT_HTML },
	{ NULL, NULL, NULL, "Just words", TRANSCRIPT_TEXT },
	{ NULL, NULL, NULL, "", TRANSCRIPT_TEXT },
	/* a plain-text label does not hide an unmistakable VTT or SRT body */
	{ "text/plain", NULL, NULL, "WEBVTT\n\n00:01.000 --> 00:02.000\nhi\n", TRANSCRIPT_VTT },
	{ NULL, "text/plain", "x.vtt", "1\n00:00:01,000 --> 00:00:02,000\n", TRANSCRIPT_SRT },
	{ NULL, "text/plain", NULL, "{\"segments\":[]}", TRANSCRIPT_TEXT },
};

static void detection_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(detect_cases) / sizeof(detect_cases[0]); i++) {
		const struct detect_case *c = &detect_cases[i];
		enum transcript_format got = transcript_detect(c->declared, c->ctype, c->url,
							       c->data, strlen(c->data));

		if (got != c->want)
			fprintf(stderr, "detect case %zu: got %d want %d\n", i, got, c->want);
		assert_int_equal(got, c->want);
	}
	assert_int_equal(transcript_detect(NULL, NULL, NULL, NULL, 0), TRANSCRIPT_TEXT);
	assert_string_equal(transcript_format_ext(TRANSCRIPT_VTT), "vtt");
	assert_string_equal(transcript_format_ext(TRANSCRIPT_SRT), "srt");
	assert_string_equal(transcript_format_ext(TRANSCRIPT_JSON), "json");
	assert_string_equal(transcript_format_ext(TRANSCRIPT_HTML), "html");
	assert_string_equal(transcript_format_ext(TRANSCRIPT_TEXT), "txt");
}

static void expect_rich_vtt(const struct segment_list *l)
{
	assert_int_equal(l->nr, 5);
	expect_seg(l, 0, 1.0, 4.5, "Alice Smith", "Welcome to the show, everyone & friends.");
	expect_seg(l, 1, 4.5, 7.25, "Bob", "I'm glad <really> to be here today !");
	expect_seg(l, 2, 3723.004, 3725.0, "Alice Smith", "Tom & Jerry say hi");
	expect_seg(l, 3, 10, 11, NULL, "Plain \xE6\xBC\xA2kan cue text");
	expect_seg(l, 4, 12, 13, NULL, "Nameless voice");
}

/* tr_rich_vtt with each '\n' replaced by eol. */
static char *with_eol(const char *s, const char *eol)
{
	char *out = malloc(strlen(s) * 2 + 1), *p = out;

	for (; *s; s++) {
		if (*s == '\n') {
			memcpy(p, eol, strlen(eol));
			p += strlen(eol);
		} else {
			*p++ = *s;
		}
	}
	*p = '\0';
	return out;
}

static void vtt_rich(void **state)
{
	const char *eols[] = { "\n", "\r\n", "\r" };

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		struct segment_list l = SEGMENT_LIST_INIT;
		char *doc = with_eol(tr_rich_vtt, eols[i]);

		assert_int_equal(transcript_detect(NULL, NULL, NULL, doc, strlen(doc)),
				 TRANSCRIPT_VTT);
		tr_parse_ok(TRANSCRIPT_VTT, doc, &l);
		expect_rich_vtt(&l);
		segment_list_release(&l);
		free(doc);
	}
}

static void vtt_speakers_and_salvage(void **state)
{
	struct segment_list l = SEGMENT_LIST_INIT;
	struct strlist names = STRLIST_INIT;

	(void)state;
	tr_parse_ok(TRANSCRIPT_VTT, tr_rich_vtt, &l);
	transcript_speakers(&l, &names);
	assert_int_equal(names.nr, 2);
	assert_string_equal(names.items[0], "Alice Smith");
	assert_string_equal(names.items[1], "Bob");
	assert_true(segment_list_timed(&l));
	strlist_release(&names);
	segment_list_release(&l);

	/* no header before good cues, no blank line between cues, end < start */
	tr_parse_ok(TRANSCRIPT_VTT, "00:01.000 --> 00:02.000\none\n"
		    "00:03.000 --> 00:02.500\ntwo\n", &l);
	assert_int_equal(l.nr, 2);
	expect_seg(&l, 0, 1, 2, NULL, "one");
	expect_seg(&l, 1, 3, 3, NULL, "two");
	segment_list_release(&l);

	/* a line of white space is cue text, not the end of the cue */
	tr_parse_ok(TRANSCRIPT_VTT, "WEBVTT\n\n00:01.000 --> 00:02.000\n \nrolling\n \t\n"
		    "caption\n\n", &l);
	assert_int_equal(l.nr, 1);
	expect_seg(&l, 0, 1, 2, NULL, "rolling caption");
	segment_list_release(&l);

	/* a header glued to the first cue; a stray text block */
	tr_parse_ok(TRANSCRIPT_VTT, "WEBVTT\n00:01.000 --> 00:02.000\na < b\n\n"
		    "stray\ntext\nblock\n\n00:03.000 --> 00:04.000\nc &unknown; d\n", &l);
	assert_int_equal(l.nr, 2);
	expect_seg(&l, 0, 1, 2, NULL, "a < b");
	expect_seg(&l, 1, 3, 4, NULL, "c &unknown; d");
	segment_list_release(&l);
}

static void srt_variants(void **state)
{
	struct segment_list l = SEGMENT_LIST_INIT;

	(void)state;
	tr_parse_ok(TRANSCRIPT_SRT,
		    "\xEF\xBB\xBF" "1\r\n00:00:01,000 --> 00:00:02,500\r\n<i>Hello</i>\r\n"
		    "<font color=\"#ffffff\">world</font>\r\n\r\n"
		    "2\r\n00:01:02,250 --> 00:01:03,000 X1:10 X2:20\r\n{\\an8}<b>Top</b> line\r\n",
		    &l);
	assert_int_equal(l.nr, 2);
	expect_seg(&l, 0, 1, 2.5, NULL, "Hello world");
	expect_seg(&l, 1, 62.25, 63, NULL, "Top line");
	segment_list_release(&l);

	/* no numbers, '.' times, extra and missing blank lines, speaker lines */
	tr_parse_ok(TRANSCRIPT_SRT,
		    "\n\n00:00:01.000 --> 00:00:02.000\nALICE: Hi there\n\n\n\n"
		    "7\n00:00:03,000 --> 00:00:04,000\nNumbered 1984\n"
		    "8\n00:00:05,000 --> 00:00:06,000\nGlued cue\n\n"
		    "00:00:07,000 --> 00:00:08,000\nNote: 12:30\n\n"
		    "10\n00:00:09,5 --> 00:00:10,25\nDr. Who:\nTime flies\n", &l);
	assert_int_equal(l.nr, 5);
	expect_seg(&l, 0, 1, 2, "ALICE", "Hi there");
	expect_seg(&l, 1, 3, 4, NULL, "Numbered 1984");
	expect_seg(&l, 2, 5, 6, NULL, "Glued cue");
	expect_seg(&l, 3, 7, 8, NULL, "Note: 12:30");
	expect_seg(&l, 4, 9.5, 10.25, "Dr. Who", "Time flies");
	segment_list_release(&l);
}

static void podcasting20_json(void **state)
{
	struct segment_list l = SEGMENT_LIST_INIT;

	(void)state;
	tr_parse_ok(TRANSCRIPT_JSON,
		    "{\"version\":\"1.0.0\",\"segments\":["
		    "{\"speaker\":\"Alice\",\"startTime\":0.5,\"endTime\":1.2,\"body\":\"Hello\"},"
		    "{\"startTime\":1.2,\"endTime\":\"2.0\",\"body\":\"  world \\n again \"},"
		    "{\"speaker\":\"Bob\",\"startTime\":3,\"endTime\":4,\"body\":\"caf\\u00e9\"},"
		    "{\"speaker\":\"Bob\",\"startTime\":4,\"endTime\":5,\"body\":\"\"},"
		    "42,"
		    "{\"speaker\":\"\",\"body\":\"untimed\"}]}", &l);
	assert_int_equal(l.nr, 4);
	expect_seg(&l, 0, 0.5, 1.2, "Alice", "Hello");
	expect_seg(&l, 1, 1.2, 2.0, NULL, "world again");
	expect_seg(&l, 2, 3, 4, "Bob", "caf\xC3\xA9");
	expect_seg(&l, 3, -1, -1, NULL, "untimed");
	segment_list_release(&l);

	tr_parse_ok(TRANSCRIPT_JSON, "[{\"start\":\"00:01:00.500\",\"end\":null,"
		    "\"speaker\":null,\"text\":\"bare array\"}]", &l);
	expect_seg(&l, 0, 60.5, -1, NULL, "bare array");
	segment_list_release(&l);
}

static void html_with_speakers(void **state)
{
	struct segment_list l = SEGMENT_LIST_INIT;

	(void)state;
	tr_parse_ok(TRANSCRIPT_HTML,
		    "<!DOCTYPE html><html><head><title>Title</title><style>p{}</style>"
		    "<script>var x = 'Alice: no';</script></head><body>\n"
		    "<h1>Episode 12   transcript</h1>\n"
		    "<p><b>Alice:</b> Hello &amp; welcome, caf\xC3\xA9.</p>\n"
		    "<p><strong>Bob:</strong> Thanks<br>for having me.</p>\n"
		    "<div>Alice: Let's <em>begin</em>.<!-- comment --></div>\n"
		    "<ul><li>First point</li><li>Second point</li></ul>\n"
		    "<p><b>Bob:</b></p><p>Named on its own line.</p>\n"
		    "<p>   </p></body></html>", &l);
	assert_int_equal(l.nr, 8);
	expect_seg(&l, 0, -1, -1, NULL, "Episode 12 transcript");
	expect_seg(&l, 1, -1, -1, "Alice", "Hello & welcome, caf\xC3\xA9.");
	expect_seg(&l, 2, -1, -1, "Bob", "Thanks");
	expect_seg(&l, 3, -1, -1, NULL, "for having me.");
	expect_seg(&l, 4, -1, -1, "Alice", "Let's begin.");
	expect_seg(&l, 5, -1, -1, NULL, "First point");
	expect_seg(&l, 6, -1, -1, NULL, "Second point");
	expect_seg(&l, 7, -1, -1, "Bob", "Named on its own line.");
	assert_false(segment_list_timed(&l));
	segment_list_release(&l);
}

static void plain_text_speakers(void **state)
{
	struct segment_list l = SEGMENT_LIST_INIT;

	(void)state;
	tr_parse_ok(TRANSCRIPT_TEXT,
		    "Alice Smith: Hello there,\n"
		    "  how are you?\n"
		    "\n"
		    "Bob: Fine.\r\n"
		    "Dr. Jones: Next question.\n"
		    "\n"
		    "Note: 12:30\n"
		    "Update: the show moved\n"
		    "The meeting starts at 10:30: be on time.\n"
		    "12:30: lunch\n"
		    "Speaker 2: numbered voice\n"
		    "\n"
		    "see http://example.com: a link\n"
		    "Jean de Florette: bonjour\n"
		    "\n"
		    "One Two Three Four Five: too long a name\n", &l);
	assert_int_equal(l.nr, 11);
	expect_seg(&l, 0, -1, -1, "Alice Smith", "Hello there, how are you?");
	expect_seg(&l, 1, -1, -1, "Bob", "Fine.");
	expect_seg(&l, 2, -1, -1, "Dr. Jones", "Next question.");
	expect_seg(&l, 3, -1, -1, NULL, "Note: 12:30");
	expect_seg(&l, 4, -1, -1, NULL, "Update: the show moved");
	expect_seg(&l, 5, -1, -1, NULL, "The meeting starts at 10:30: be on time.");
	expect_seg(&l, 6, -1, -1, NULL, "12:30: lunch");
	expect_seg(&l, 7, -1, -1, "Speaker 2", "numbered voice");
	expect_seg(&l, 8, -1, -1, NULL, "see http://example.com: a link");
	expect_seg(&l, 9, -1, -1, "Jean de Florette", "bonjour");
	expect_seg(&l, 10, -1, -1, NULL, "One Two Three Four Five: too long a name");
	segment_list_release(&l);

	/* time markers around labels, as transcription services export them */
	tr_parse_ok(TRANSCRIPT_TEXT,
		    "[00:00] Ethan: Welcome back.\n"
		    "Priya [00:05]: Thanks for having me.\n"
		    "00:09 Ethan: We met at 10:30 today.\n"
		    "Ethan Park  0:20\n"
		    "So tell me\n"
		    "about flour.\n"
		    "\n"
		    "Priya (00:00:25)\n"
		    "\n"
		    "It matters less than you think.\n"
		    "\n"
		    "The train left at 10:30 sharp.\n"
		    "Ethan Park (host): Welcome.\n", &l);
	assert_int_equal(l.nr, 7);
	expect_seg(&l, 0, -1, -1, "Ethan", "Welcome back.");
	expect_seg(&l, 1, -1, -1, "Priya", "Thanks for having me.");
	expect_seg(&l, 2, -1, -1, "Ethan", "We met at 10:30 today.");
	expect_seg(&l, 3, -1, -1, "Ethan Park", "So tell me about flour.");
	expect_seg(&l, 4, -1, -1, "Priya", "It matters less than you think.");
	expect_seg(&l, 5, -1, -1, NULL, "The train left at 10:30 sharp.");
	expect_seg(&l, 6, -1, -1, "Ethan Park", "Welcome.");
	segment_list_release(&l);

	/* a name on its own line names the turn that follows */
	tr_parse_ok(TRANSCRIPT_TEXT, "ALICE:\nWrapped\nlines\n\nplain line\n", &l);
	assert_int_equal(l.nr, 2);
	expect_seg(&l, 0, -1, -1, "ALICE", "Wrapped lines");
	expect_seg(&l, 1, -1, -1, NULL, "plain line");
	segment_list_release(&l);
}

static void unknown_format_sniffs(void **state)
{
	struct segment_list l = SEGMENT_LIST_INIT;

	(void)state;
	tr_parse_ok(TRANSCRIPT_UNKNOWN, "1\n00:00:01,000 --> 00:00:02,000\n<i>Hi</i>\n", &l);
	expect_seg(&l, 0, 1, 2, NULL, "Hi");
	segment_list_release(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(detection_table),
		cmocka_unit_test(vtt_rich),
		cmocka_unit_test(vtt_speakers_and_salvage),
		cmocka_unit_test(srt_variants),
		cmocka_unit_test(podcasting20_json),
		cmocka_unit_test(html_with_speakers),
		cmocka_unit_test(plain_text_speakers),
		cmocka_unit_test(unknown_format_sniffs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
