/* Unit tests for the transcript renderers and their round trips. */
#include "tr_check.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void sample(struct segment_list *l)
{
	segment_list_push(l, 0, 1.5, "Alice & Co", "Hello <world> --> & more");
	segment_list_push(l, 61.2504, 62, NULL, "Second line");
	segment_list_push(l, 3600.001, 3700, "A>B", "caf\xC3\xA9");
	segment_list_push(l, 3701, 3702, "Bob", "Plain words");
	segment_add_word(&l->items[3], "Plain", 3701, 3701.4004);
	segment_add_word(&l->items[3], "w\"ords", 3701.5, 3702);
}

static void text_rendering(void **state)
{
	struct segment_list l = SEGMENT_LIST_INIT;
	struct sbuf out = SBUF_INIT(SBUF_NOLIMIT);

	(void)state;
	segment_list_push(&l, -1, -1, "Alice", "Hi");
	segment_list_push(&l, -1, -1, NULL, "Plain");
	segment_list_push(&l, -1, -1, "Bob", "");
	transcript_to_text(&l, true, &out);
	assert_string_equal(out.buf, "Alice: Hi\nPlain\n");
	sbuf_reset(&out);
	transcript_to_text(&l, false, &out);
	assert_string_equal(out.buf, "Hi\nPlain\n");
	sbuf_release(&out);
	segment_list_release(&l);
}

static void paragraphs(void **state)
{
	struct segment_list l = SEGMENT_LIST_INIT;
	struct sbuf out = SBUF_INIT(SBUF_NOLIMIT), want = SBUF_INIT(SBUF_NOLIMIT);

	(void)state;
	segment_list_push(&l, 0, 2, NULL, "One two three.");
	segment_list_push(&l, 2.3, 4, NULL, "Four five?");
	segment_list_push(&l, 6, 7, NULL, "After a pause.");
	segment_list_push(&l, 7.1, 8, "Ann", "Ann speaks.");
	segment_list_push(&l, 8.1, 9, "Ann", "");
	segment_list_push(&l, 8.2, 9, "Ann", "Still Ann.");
	transcript_to_paragraphs(&l, 1.5, &out);
	assert_string_equal(out.buf, "One two three. Four five?\n\nAfter a pause.\n\n"
				     "Ann speaks. Still Ann.\n");
	segment_list_release(&l);
	/* a long run without pauses is cut after the sentence that fills it */
	sbuf_reset(&out);
	for (int i = 0; i < 30; i++) {
		segment_list_push(&l, i, i + 0.9, NULL, "Five words in a sentence.");
		sbuf_addf(&want, "%s%s", i == 0 ? "" : i % 24 ? " " : "\n\n",
			  "Five words in a sentence.");
	}
	sbuf_addch(&want, '\n');
	transcript_to_paragraphs(&l, 1.5, &out);
	assert_string_equal(out.buf, want.buf);
	sbuf_release(&out);
	sbuf_release(&want);
	segment_list_release(&l);
}

static void segments_json_round_trip(void **state)
{
	struct segment_list l = SEGMENT_LIST_INIT, back = SEGMENT_LIST_INIT;
	struct sbuf out = SBUF_INIT(SBUF_NOLIMIT);

	(void)state;
	sample(&l);
	segment_list_push(&l, -1, -1, NULL, "untimed \"quoted\"");
	transcript_to_segments_json(&l, &out);
	assert_non_null(strstr(out.buf, "\"start\": 61.25,"));
	assert_non_null(strstr(out.buf, "\"start\": 0.0,"));
	assert_non_null(strstr(out.buf, "\"start\": null,"));
	assert_non_null(strstr(out.buf, "\"speaker\": null,"));
	assert_int_equal(transcript_detect(NULL, NULL, NULL, out.buf, out.len), TRANSCRIPT_JSON);
	tr_parse_ok(TRANSCRIPT_JSON, out.buf, &back);
	tr_expect_same(&l, &back);
	sbuf_release(&out);
	segment_list_release(&l);
	segment_list_release(&back);
}

/* What segments.json was when jansson wrote it: the reference layout. */
static int dump_cb(const char *buf, size_t size, void *data)
{
	return sbuf_add(data, buf, size) < 0 ? -1 : 0;
}

static json_t *jansson_time(double t)
{
	return t < 0 || !isfinite(t) ? json_null() : json_real(round(t * 1000) / 1000);
}

static json_t *jansson_words(const struct segment *s)
{
	json_t *a = json_array();

	for (size_t i = 0; i < s->nr_words; i++) {
		json_t *w = json_object();

		json_object_set_new(w, "w", json_string(s->words[i].text));
		json_object_set_new(w, "start", jansson_time(s->words[i].start));
		json_object_set_new(w, "end", jansson_time(s->words[i].end));
		json_array_append_new(a, w);
	}
	return a;
}

static void jansson_segments(const struct segment_list *l, struct sbuf *out)
{
	json_t *root = json_object(), *arr = json_array();

	for (size_t i = 0; i < l->nr; i++) {
		const struct segment *s = &l->items[i];
		json_t *o = json_object();

		json_object_set_new(o, "start", jansson_time(s->start));
		json_object_set_new(o, "end", jansson_time(s->end));
		json_object_set_new(o, "speaker", s->speaker ? json_string(s->speaker) : json_null());
		json_object_set_new(o, "text", json_string(s->text));
		if (s->nr_words)
			json_object_set_new(o, "words", jansson_words(s));
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "segments", arr);
	json_dump_callback(root, dump_cb, out, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
	sbuf_addch(out, '\n');
	json_decref(root);
}

static void expect_jansson_layout(const struct segment_list *l)
{
	struct sbuf ours = SBUF_INIT(SBUF_NOLIMIT), ref = SBUF_INIT(SBUF_NOLIMIT);

	transcript_to_segments_json(l, &ours);
	jansson_segments(l, &ref);
	assert_string_equal(ours.buf, ref.buf);
	sbuf_release(&ours);
	sbuf_release(&ref);
}

static void segments_json_as_jansson(void **state)
{
	static const double times[] = {
		0, -0.0, 0.0004, 0.0005, 0.001, 0.1, 1.5, 61.2504, 3600.001, 86399.999,
		999999999.999, 1e9, 123456789012.345, 1e12, 1.5e15, 1e21, 1e300,
		-1, -0.5, NAN, INFINITY,
	};
	struct segment_list l = SEGMENT_LIST_INIT;

	(void)state;
	expect_jansson_layout(&l);
	for (size_t i = 0; i < ARRAY_SIZE(times); i++)
		segment_list_push(&l, times[i], times[ARRAY_SIZE(times) - 1 - i],
				  i % 3 ? "Ann \"A\" \\ Lee" : NULL, "t");
	segment_list_push(&l, 1, 2, "caf\xC3\xA9 \xF0\x9F\x8E\x99", "");
	segment_list_push(&l, 1, 2, NULL, "ctl \x01\x08\x09\x0A\x0C\x0D\x1F\x7F / \xE2\x80\xA8 end");
	expect_jansson_layout(&l);
	segment_add_word(&l.items[1], "caf\xC3\xA9", 0.0004, 1.5);
	segment_add_word(&l.items[1], "\"q\"", -1, 61.2504);
	segment_add_word(&l.items[2], "one", 1, 2);
	expect_jansson_layout(&l);
	segment_list_release(&l);
}

/* A segment filled by hand with invalid UTF-8 is repaired like
 * segment_list_push() would have: each bad byte becomes U+FFFD. */
static void segments_json_repairs_utf8(void **state)
{
	struct segment_list l = SEGMENT_LIST_INIT, fixed = SEGMENT_LIST_INIT;
	struct sbuf a = SBUF_INIT(SBUF_NOLIMIT), b = SBUF_INIT(SBUF_NOLIMIT);
	static const char bad[] = "a\xC3\x28 b\xED\xA0\x80 \xFF\\\"";

	(void)state;
	segment_list_push(&l, 1, 2, "x", "placeholder");
	free(l.items[0].text);
	l.items[0].text = pc_strdup(bad);
	segment_list_push(&fixed, 1, 2, "x", bad);
	assert_string_not_equal(l.items[0].text, fixed.items[0].text);
	transcript_to_segments_json(&l, &a);
	transcript_to_segments_json(&fixed, &b);
	assert_string_equal(a.buf, b.buf);
	assert_non_null(strstr(a.buf, "\"a\xEF\xBF\xBD( b\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD "
				   "\xEF\xBF\xBD\\\\\\\"\""));
	sbuf_release(&a);
	sbuf_release(&b);
	segment_list_release(&l);
	segment_list_release(&fixed);
}

static void vtt_round_trip(void **state)
{
	struct segment_list l = SEGMENT_LIST_INIT, back = SEGMENT_LIST_INIT;
	struct sbuf out = SBUF_INIT(SBUF_NOLIMIT);

	(void)state;
	sample(&l);
	transcript_to_vtt(&l, &out);
	assert_non_null(strstr(out.buf, "\n00:00:00.000 --> 00:00:01.500\n"
			       "<v Alice &amp; Co>Hello &lt;world&gt; --&gt; &amp; more\n"));
	assert_non_null(strstr(out.buf, "\n01:00:00.001 --> 01:01:40.000\n<v A&gt;B>caf"));
	tr_parse_ok(TRANSCRIPT_VTT, out.buf, &back);
	assert_int_equal(back.nr, 4);
	expect_seg(&back, 0, 0, 1.5, "Alice & Co", "Hello <world> --> & more");
	expect_seg(&back, 1, 61.25, 62, NULL, "Second line");
	expect_seg(&back, 2, 3600.001, 3700, "A>B", "caf\xC3\xA9");
	expect_seg(&back, 3, 3701, 3702, "Bob", "Plain words");
	sbuf_release(&out);
	segment_list_release(&l);
	segment_list_release(&back);
}

/* Every cue of a VTT rendering: within 7 s and two lines of 42 characters;
 * the cues' words, in order, are the segments' words. */
static void check_cues(const char *vtt, const char *voice, const char *want_words)
{
	struct sbuf words = SBUF_INIT(SBUF_NOLIMIT);
	char *copy = pc_strdup(vtt), *save = NULL;
	int lines = -1;
	double a = 0, b = 0;

	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		int h1, m1, h2, m2;
		double s1, s2;

		if (sscanf(l, "%d:%d:%lf --> %d:%d:%lf", &h1, &m1, &s1, &h2, &m2, &s2) == 6) {
			a = h1 * 3600 + m1 * 60 + s1;
			b = h2 * 3600 + m2 * 60 + s2;
			assert_true(b - a <= 7.0 + 1e-9);
			lines = 0;
			continue;
		}
		if (lines < 0)
			continue;
		assert_true(++lines <= 2);
		if (lines == 1 && voice) {
			assert_true(!strncmp(l, voice, strlen(voice)));
			l += strlen(voice);
		}
		assert_true(strlen(l) <= 42 || !strchr(l, ' '));
		sbuf_addf(&words, "%s%s", words.len ? " " : "", l);
	}
	if (want_words)
		assert_string_equal(words.buf, want_words);
	free(copy);
	sbuf_release(&words);
}

static const char long_text[] = "So this is a rather long sentence that goes on and on for "
				"far longer than any one subtitle could hold on the screen at "
				"once without a break.";

/* Renders segment s alone as VTT and checks its cues; returns their number. */
static size_t vtt_cues_of(const struct segment *s, const char *voice, const char *words)
{
	struct segment_list one = SEGMENT_LIST_INIT;
	struct sbuf out = SBUF_INIT(SBUF_NOLIMIT);
	size_t cues = 0;

	segment_list_push_copy(&one, s);
	transcript_to_vtt(&one, &out);
	for (const char *p = out.buf; (p = strstr(p, " --> ")); p++)
		cues++;
	check_cues(out.buf, voice, words);
	sbuf_release(&out);
	segment_list_release(&one);
	return cues;
}

static void cues_keep_subtitle_limits(void **state)
{
	struct segment_list l = SEGMENT_LIST_INIT;
	struct sbuf srt = SBUF_INIT(SBUF_NOLIMIT);
	char *copy = pc_strdup(long_text), *save = NULL;
	static const char huge[] = "Pneumonoultramicroscopicsilicovolcanoconiosis_and_more is long.";
	double t = 10;

	(void)state;
	/* timed words, with a slow word in the middle */
	segment_list_push(&l, 10, 10, "Ann Lee", long_text);
	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		double len = l.items[0].nr_words == 12 ? 3.0 : 0.3;

		segment_add_word(&l.items[0], w, t, t + len);
		t += len + 0.05;
	}
	l.items[0].end = t;
	assert_true(vtt_cues_of(&l.items[0], "<v Ann Lee>", long_text) >= 3);
	/* without words: times spread over the segment */
	segment_list_push(&l, 100, 130, NULL, long_text);
	assert_true(vtt_cues_of(&l.items[1], NULL, long_text) >= 5);
	/* a word longer than a line stands alone, whole */
	segment_list_push(&l, 200, 202, NULL, huge);
	assert_int_equal(vtt_cues_of(&l.items[2], NULL, NULL), 2);
	/* SRT: the "Name: " prefix counts on the first line */
	transcript_to_srt(&l, &srt);
	for (const char *p = srt.buf; (p = strstr(p, "Ann Lee: ")); p++)
		assert_true(strcspn(p, "\n") <= 42);
	segment_list_release(&l);
	sbuf_release(&srt);
	free(copy);
}

static void srt_rendering(void **state)
{
	struct segment_list l = SEGMENT_LIST_INIT, back = SEGMENT_LIST_INIT;
	struct sbuf out = SBUF_INIT(SBUF_NOLIMIT);

	(void)state;
	segment_list_push(&l, 1, 2.5, NULL, "First --> cue");
	segment_list_push(&l, -1, -1, NULL, "untimed, left out");
	segment_list_push(&l, 3725.5, 3726, "Bob", "Two\nlines");
	transcript_to_srt(&l, &out);
	assert_string_equal(out.buf,
			    "1\n00:00:01,000 --> 00:00:02,500\nFirst -> cue\n\n"
			    "2\n01:02:05,500 --> 01:02:06,000\nBob: Two lines\n");
	tr_parse_ok(TRANSCRIPT_SRT, out.buf, &back);
	assert_int_equal(back.nr, 2);
	expect_seg(&back, 0, 1, 2.5, NULL, "First -> cue");
	expect_seg(&back, 1, 3725.5, 3726, "Bob", "Two lines");
	sbuf_release(&out);
	segment_list_release(&l);
	segment_list_release(&back);
}

static void screenplay_with_speakers(void **state)
{
	struct segment_list l = SEGMENT_LIST_INIT;
	struct sbuf out = SBUF_INIT(SBUF_NOLIMIT);
	const char *names[] = { "Host", "Guest" };

	(void)state;
	segment_list_push(&l, 0, 1, "Alice", "Hi.");
	segment_list_push(&l, 5, 6, "Alice", "Welcome.");
	segment_list_push(&l, 6, 7, "Bob", "Thanks.");
	segment_list_push(&l, 7, 8, NULL, "Unattributed.");
	segment_list_push(&l, 8, 9, "Alice", "Bye.");
	transcript_to_screenplay(&l, names, 2, 1.25, &out);
	assert_string_equal(out.buf, "Alice: Hi. Welcome.\nBob: Thanks.\nUnattributed.\n"
			    "Alice: Bye.\n");
	sbuf_release(&out);
	segment_list_release(&l);
}

static void gapped(struct segment_list *l)
{
	segment_list_push(l, 0, 1, NULL, "one");
	segment_list_push(l, 1.2, 2, NULL, "two");      /* 0.2 s: same turn */
	segment_list_push(l, 4, 5, NULL, "three");      /* 2 s: next voice */
	segment_list_push(l, 6.25, 7, NULL, "four");    /* exactly 1.25 s: same turn */
	segment_list_push(l, 9, 10, NULL, "five");
}

static void screenplay_rotation(void **state)
{
	struct segment_list l = SEGMENT_LIST_INIT;
	struct sbuf out = SBUF_INIT(SBUF_NOLIMIT);
	const char *names[] = { "Host", "Guest" };

	(void)state;
	gapped(&l);
	transcript_to_screenplay(&l, names, 2, 1.25, &out);
	assert_string_equal(out.buf, "Host: one two\nGuest: three four\nHost: five\n");
	sbuf_reset(&out);
	transcript_to_screenplay(&l, names, 1, 1.25, &out);
	assert_string_equal(out.buf, "Host: one two\nSPEAKER 2: three four\nHost: five\n");
	sbuf_reset(&out);
	transcript_to_screenplay(&l, NULL, 0, 1.25, &out);
	assert_string_equal(out.buf, "SPEAKER 1: one two\nSPEAKER 2: three four\n"
			    "SPEAKER 1: five\n");
	sbuf_reset(&out);
	transcript_to_screenplay_n(&l, names, 1, 3, 1.25, &out);
	assert_string_equal(out.buf, "Host: one two\nSPEAKER 2: three four\nSPEAKER 3: five\n");
	sbuf_reset(&out);
	transcript_to_screenplay(&l, names, 2, 5, &out);
	assert_string_equal(out.buf, "Host: one two three four five\n");
	sbuf_release(&out);
	segment_list_release(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_rendering),
		cmocka_unit_test(paragraphs),
		cmocka_unit_test(segments_json_round_trip),
		cmocka_unit_test(segments_json_as_jansson),
		cmocka_unit_test(segments_json_repairs_utf8),
		cmocka_unit_test(vtt_round_trip),
		cmocka_unit_test(srt_rendering),
		cmocka_unit_test(cues_keep_subtitle_limits),
		cmocka_unit_test(screenplay_with_speakers),
		cmocka_unit_test(screenplay_rotation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
