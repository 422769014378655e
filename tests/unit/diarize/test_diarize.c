/*
 * Unit tests for src/diarize: voices made with flite (rms, slt, awb),
 * joined into dialogues with known turn boundaries, then diarized.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio/audio.h"
#include "diarize/diarize.h"
#include "testaudio.h"
#include "transcript/transcript.h"
#include "util/fs.h"
#include "util/strlist.h"

#define TOL 0.4   /* seconds a found boundary may be off */

static char *dir;

static const char *const lines[] = {
	"welcome back to the show, today we talk about small farms in a dry summer",
	"thanks for having me, it has been a hard year for everyone in the valley",
	"so tell me what changed when the rain stopped coming in june",
	"we had to decide which fields to water and which ones to let go",
	"did the neighbors share their wells or did everyone keep to themselves",
	"most of them shared, and that is the only reason we still have a harvest",
	"what would you tell a young farmer who is starting out this year",
	"start small, keep good records, and talk to the older people around you",
};

struct ref_turn {
	double start, end;
	int voice;
};

struct episode {
	struct samples s;
	struct ref_turn turns[16];
	size_t nr;
	char *path;
};

static size_t first_loud(const struct samples *s)
{
	size_t i = 0;

	while (i < s->n && abs(s->s[i]) < 200)
		i++;
	return i;
}

static size_t last_loud(const struct samples *s)
{
	size_t i = s->n;

	while (i > 0 && abs(s->s[i - 1]) < 200)
		i--;
	return i;
}

/* voices[i] speaks line i (mod the lines), gap seconds between turns. */
static void make_episode(struct episode *e, const char *name, const char *const *voices,
			 size_t n, double gap)
{
	memset(e, 0, sizeof(*e));
	ta_append_silence(&e->s, 0.5);
	for (size_t i = 0; i < n; i++) {
		struct samples one = { 0 };
		double at = (double)e->s.n / AUDIO_RATE;
		int v = 0;

		assert_int_equal(ta_speech(dir, voices[i], lines[i % ARRAY_SIZE(lines)], &one), 0);
		for (size_t k = 0; k < i; k++)
			if (!strcmp(voices[k], voices[i])) {
				v = e->turns[k].voice;
				break;
			} else if (e->turns[k].voice >= v) {
				v = e->turns[k].voice + 1;
			}
		e->turns[e->nr++] = (struct ref_turn){ at + (double)first_loud(&one) / AUDIO_RATE,
						       at + (double)last_loud(&one) / AUDIO_RATE, v };
		ta_append(&e->s, one.s, one.n);
		ta_append_silence(&e->s, gap);
		ta_free(&one);
	}
	e->path = ta_path(dir, name);
	assert_int_equal(ta_write_wav(e->path, &e->s, AUDIO_RATE, 1), 0);
}

static void free_episode(struct episode *e)
{
	ta_free(&e->s);
	free(e->path);
}

static void diarize_ok(const char *path, int hint, struct diarize_result *r)
{
	struct diarize_options o = DIARIZE_OPTIONS_INIT;
	struct sbuf err = SBUF_INIT(4096);

	o.num_speakers = hint;
	assert_int_equal(diarize_file(path, &o, r, NULL, &err), 0);
	sbuf_release(&err);
}

/* Reference voices map one-to-one onto found voices, and every turn's
 * inside (TOL from its edges) is given to its voice alone. */
static void check_turns(const struct episode *e, const struct diarize_result *r)
{
	int map[8];

	for (int i = 0; i < 8; i++)
		map[i] = -1;
	for (size_t i = 0; i < e->nr; i++) {
		const struct ref_turn *t = &e->turns[i];
		int found = diarize_speaker_at(r, t->start + TOL, t->end - TOL);

		assert_true(found >= 0);
		if (map[t->voice] < 0)
			map[t->voice] = found;
		assert_int_equal(map[t->voice], found);
		for (size_t k = 0; k < r->nr; k++) {
			const struct diarize_turn *u = &r->turns[k];

			if (u->end > t->start + TOL && u->start < t->end - TOL)
				assert_int_equal(u->speaker, found);
		}
	}
	for (int a = 0; a < 8; a++)
		for (int b = a + 1; b < 8; b++)
			if (map[a] >= 0 && map[b] >= 0)
				assert_int_not_equal(map[a], map[b]);
}

/* Each reference turn starts within TOL of a found turn's start. */
static void check_boundaries(const struct episode *e, const struct diarize_result *r)
{
	for (size_t i = 1; i < e->nr; i++) {
		double best = INFINITY;

		if (e->turns[i].voice == e->turns[i - 1].voice)
			continue;
		for (size_t k = 0; k < r->nr; k++)
			best = fmin(best, fabs(r->turns[k].start - e->turns[i].start));
		assert_true(best <= TOL);
	}
}

static void two_voices(void **state)
{
	static const char *const v[] = { "rms", "slt", "rms", "slt", "slt", "rms" };
	struct diarize_result r = DIARIZE_RESULT_INIT;
	struct episode e;

	(void)state;
	make_episode(&e, "two.wav", v, ARRAY_SIZE(v), 0.4);
	diarize_ok(e.path, 2, &r);
	assert_int_equal(r.speakers, 2);
	check_turns(&e, &r);
	check_boundaries(&e, &r);
	assert_true(r.seconds[0] > 5 && r.seconds[1] > 5);
	diarize_result_release(&r);
	free_episode(&e);
}

/* No pause between voices: the change is found inside one utterance. */
static void back_to_back(void **state)
{
	static const char *const v[] = { "awb", "slt", "awb", "slt" };
	struct diarize_result r = DIARIZE_RESULT_INIT;
	struct episode e;

	(void)state;
	make_episode(&e, "tight.wav", v, ARRAY_SIZE(v), 0.02);
	diarize_ok(e.path, 0, &r);
	assert_int_equal(r.speakers, 2);
	check_turns(&e, &r);
	check_boundaries(&e, &r);
	diarize_result_release(&r);
	free_episode(&e);
}

static void monologue(void **state)
{
	static const char *const v[] = { "rms", "rms", "rms", "rms", "rms", "rms" };
	struct diarize_result r = DIARIZE_RESULT_INIT;
	struct episode e;

	(void)state;
	make_episode(&e, "mono.wav", v, ARRAY_SIZE(v), 0.5);
	diarize_ok(e.path, 2, &r);
	assert_int_equal(r.speakers, 1);
	for (size_t i = 0; i < r.nr; i++)
		assert_int_equal(r.turns[i].speaker, 0);
	diarize_result_release(&r);
	free_episode(&e);
}

/* A short read in a third voice is a voice of its own, even with a hint of 2. */
static void ad_is_its_own_voice(void **state)
{
	static const char *const v[] = { "rms", "slt", "rms", "awb", "slt", "rms" };
	struct diarize_result r = DIARIZE_RESULT_INIT;
	struct episode e;

	(void)state;
	make_episode(&e, "ad.wav", v, ARRAY_SIZE(v), 0.4);
	diarize_ok(e.path, 2, &r);
	assert_int_equal(r.speakers, 3);
	check_turns(&e, &r);
	diarize_result_release(&r);
	free_episode(&e);
}

static void same_input_same_turns(void **state)
{
	static const char *const v[] = { "slt", "rms", "slt", "rms" };
	struct diarize_result a = DIARIZE_RESULT_INIT, b = DIARIZE_RESULT_INIT;
	struct episode e;

	(void)state;
	make_episode(&e, "again.wav", v, ARRAY_SIZE(v), 0.3);
	diarize_ok(e.path, 0, &a);
	diarize_ok(e.path, 0, &b);
	assert_int_equal(a.nr, b.nr);
	assert_memory_equal(a.turns, b.turns, a.nr * sizeof(*a.turns));
	diarize_result_release(&a);
	diarize_result_release(&b);
	free_episode(&e);
}

static void silence_has_no_voice(void **state)
{
	struct diarize_result r = DIARIZE_RESULT_INIT;
	struct samples s = { 0 };
	char *path = ta_path(dir, "quiet.wav");

	(void)state;
	ta_append_silence(&s, 5);
	assert_int_equal(ta_write_wav(path, &s, AUDIO_RATE, 1), 0);
	diarize_ok(path, 2, &r);
	assert_int_equal(r.speakers, 0);
	assert_int_equal(r.nr, 0);
	diarize_result_release(&r);
	ta_free(&s);
	free(path);
}

static void bad_input_names_the_file(void **state)
{
	struct diarize_result r = DIARIZE_RESULT_INIT;
	struct sbuf err = SBUF_INIT(4096);
	char *path = ta_path(dir, "notaudio.mp3");

	(void)state;
	assert_int_equal(fs_write_atomic(path, "hello", 5, &err), 0);
	assert_true(diarize_file(path, NULL, &r, NULL, &err) < 0);
	assert_non_null(strstr(err.buf, "notaudio.mp3"));
	assert_int_equal(r.nr, 0);
	sbuf_release(&err);
	free(path);
}

/* Segments spanning a change of voice are split between the words. */
static void labels_split_segments(void **state)
{
	struct diarize_turn turns[] = { { 0, 4, 0 }, { 4.1, 8, 1 }, { 8, 8.1, 0 } };
	double secs[] = { 4.1, 3.9 };
	struct diarize_result r = { turns, 3, 3, 2, secs };
	struct segment_list l = SEGMENT_LIST_INIT;

	(void)state;
	segment_list_push(&l, 0.5, 3.5, NULL, "one two three");
	segment_list_push(&l, 3.0, 7.0, NULL, "four five six seven");
	segment_list_push(&l, 7.2, 8.1, NULL, "eight nine");
	segment_list_push(&l, -1, -1, NULL, "untimed");
	diarize_label_segments(&r, &l);
	assert_int_equal(l.nr, 5);
	assert_string_equal(l.items[0].speaker, "SPEAKER_0");
	assert_string_equal(l.items[1].text, "four");
	assert_string_equal(l.items[1].speaker, "SPEAKER_0");
	assert_string_equal(l.items[2].text, "five six seven");
	assert_string_equal(l.items[2].speaker, "SPEAKER_1");
	assert_true(fabs(l.items[2].start - 4.0) < 1e-9);
	/* the 0.1 s turn at the end holds no whole word: it melts away */
	assert_string_equal(l.items[3].text, "eight nine");
	assert_string_equal(l.items[3].speaker, "SPEAKER_1");
	assert_null(l.items[4].speaker);
	segment_list_release(&l);
}

/* With the engine's word times, words go by their own times and stay. */
static void labels_follow_word_times(void **state)
{
	struct diarize_turn turns[] = { { 0, 4, 0 }, { 4.1, 8, 1 } };
	double secs[] = { 4, 3.9 };
	struct diarize_result r = { turns, 2, 2, 2, secs };
	struct segment_list l = SEGMENT_LIST_INIT;
	struct segment *s;

	(void)state;
	segment_list_push(&l, 3.0, 7.0, NULL, "Four five, six seven.");
	s = &l.items[0];
	segment_add_word(s, "four", 3.0, 3.5);
	segment_add_word(s, "five", 3.6, 3.9);
	segment_add_word(s, "six", 4.2, 5.0);
	segment_add_word(s, "seven", 5.5, 7.0);
	diarize_label_segments(&r, &l);
	assert_int_equal(l.nr, 2);
	assert_string_equal(l.items[0].text, "Four five,");
	assert_string_equal(l.items[0].speaker, "SPEAKER_0");
	assert_int_equal(l.items[0].nr_words, 2);
	assert_true(fabs(l.items[0].end - 3.9) < 1e-9);
	assert_string_equal(l.items[1].text, "six seven.");
	assert_string_equal(l.items[1].speaker, "SPEAKER_1");
	assert_true(fabs(l.items[1].start - 4.2) < 1e-9);
	assert_true(fabs(l.items[1].end - 7.0) < 1e-9);
	assert_string_equal(l.items[1].words[1].text, "seven");
	segment_list_release(&l);
}

/* Host: the voice that opens, unless another speaks far more; then guests. */
static void voices_get_names(void **state)
{
	static const char *const hosts[] = { "Jane Doe" };
	static const char *const guests[] = { "Maya Verbeek" };
	struct segment_list l = SEGMENT_LIST_INIT;
	struct strlist names = STRLIST_INIT;

	(void)state;
	segment_list_push(&l, 0, 10, "SPEAKER_0", "welcome");
	segment_list_push(&l, 10, 11, "SPEAKER_2", "buy seeds");
	segment_list_push(&l, 11, 20, "SPEAKER_1", "thanks");
	segment_list_push(&l, 20, 90, "SPEAKER_0", "so");
	segment_list_push(&l, 90, 99, "SPEAKER_3", "hello");
	diarize_name_voices(&l, hosts, 1, guests, 1, &names);
	assert_string_equal(l.items[0].speaker, "Jane Doe");
	assert_string_equal(l.items[1].speaker, "SPEAKER_2");   /* the ad: too little */
	assert_string_equal(l.items[2].speaker, "Maya Verbeek");
	assert_string_equal(l.items[4].speaker, "SPEAKER_3");   /* no name left */
	assert_int_equal(names.nr, 4);
	assert_string_equal(names.items[1], "Maya Verbeek");
	strlist_release(&names);
	segment_list_release(&l);
}

static int setup(void **state)
{
	(void)state;
	dir = ta_tempdir("diarize");
	return dir ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	if (!getenv("KEEP_DIR"))
		fs_remove_tree(dir);
	free(dir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(two_voices),
		cmocka_unit_test(back_to_back),
		cmocka_unit_test(monologue),
		cmocka_unit_test(ad_is_its_own_voice),
		cmocka_unit_test(same_input_same_turns),
		cmocka_unit_test(silence_has_no_voice),
		cmocka_unit_test(bad_input_names_the_file),
		cmocka_unit_test(labels_split_segments),
		cmocka_unit_test(labels_follow_word_times),
		cmocka_unit_test(voices_get_names),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
