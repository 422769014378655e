/*
 * The openai speech engine against the test server's
 * /v1/audio/transcriptions: small files sent as they are, large ones split
 * at pauses into WAV parts whose segments come back at their true times,
 * the Authorization header only with a key, the server's errors (never the
 * key) and retries.  Audio is tone bursts and pauses written as WAV here.
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

#include "asr/asr.h"
#include "net/net.h"
#include "remote_fixture.h"
#include "transcript/transcript.h"
#include "util/fs.h"

#define RATE 16000
#define EPS 1e-3
#define SMALL_LIMIT 200000      /* bytes per request in the splitting tests */

/* Tone bursts: `tone` seconds of 440 Hz, then `pause` seconds of quiet. */
struct pattern {
	double tone, pause;
	double seconds;
};

static const struct pattern small = { 1.0, 1.0, 3.0 };
static const struct pattern bursts = { 1.5, 0.6, 21.0 };
static const struct pattern solid = { 1000, 0, 15.0 };

static bool in_tone(const struct pattern *p, double t)
{
	return fmod(t, p->tone + p->pause) < p->tone;
}

static void put16(unsigned char *b, uint32_t v, int n)
{
	for (int i = 0; i < n; i++)
		b[i] = (unsigned char)(v >> (8 * i));
}

/* Writes the pattern as 16 kHz mono 16-bit WAV; returns its size. */
static size_t write_pattern(const char *path, const struct pattern *p)
{
	size_t n = (size_t)(p->seconds * RATE), len = 44 + 2 * n;
	unsigned char *w = pc_calloc(1, len);
	struct sbuf err = SBUF_INIT(1024);
	uint32_t noise = 12345;

	memcpy(w, "RIFF", 4);
	put16(w + 4, (uint32_t)(len - 8), 4);
	memcpy(w + 8, "WAVEfmt ", 8);
	put16(w + 16, 16, 4);
	put16(w + 20, 1, 2);
	put16(w + 22, 1, 2);
	put16(w + 24, RATE, 4);
	put16(w + 28, RATE * 2, 4);
	put16(w + 32, 2, 2);
	put16(w + 34, 16, 2);
	memcpy(w + 36, "data", 4);
	put16(w + 40, (uint32_t)(2 * n), 4);
	for (size_t i = 0; i < n; i++) {
		double t = (double)i / RATE;
		int v;

		noise = noise * 1103515245u + 12345u;
		v = (int)((noise >> 16) % 7) - 3;   /* about -80 dBFS */
		if (in_tone(p, t))
			v += (int)(8000 * sin(2 * M_PI * 440 * t));
		put16(w + 44 + 2 * i, (uint16_t)(int16_t)v, 2);
	}
	assert_int_equal(fs_write_atomic(path, w, len, &err), 0);
	free(w);
	sbuf_release(&err);
	return len;
}

static char *fixture(const char *name, const struct pattern *p, size_t *size)
{
	char *path = fs_join(rf.dir, name);
	size_t n = write_pattern(path, p);

	if (size)
		*size = n;
	return path;
}

static struct asr_options options(const char *suffix, const char *key)
{
	struct asr_options o = ASR_OPTIONS_INIT;

	o.engine = "openai";
	o.workers = 1;
	o.api_base = rf_base(suffix);
	o.api_key = key;
	o.model = "whisper-test";
	o.language = "en";
	o.timeout = 20;
	return o;
}

static int transcribe(const char *path, const struct asr_options *o,
		      struct segment_list *l, struct asr_stats *st, struct sbuf *err)
{
	rf_mark();
	return asr_transcribe_file(path, o, l, st, err);
}

static int setup(void **state)
{
	(void)state;
	return rf_setup("remote_asr");
}

static int teardown(void **state)
{
	(void)state;
	return rf_teardown();
}

/* ---- small files ---- */

static void small_file_is_sent_as_it_is(void **state)
{
	struct asr_options o = options(NULL, RF_KEY);
	struct segment_list l = SEGMENT_LIST_INIT;
	struct sbuf err = SBUF_INIT(4096), want = SBUF_INIT(256);
	struct asr_stats st;
	size_t size;
	char *path = fixture("small.wav", &small, &size), *log;
	long part;

	(void)state;
	assert_int_equal(transcribe(path, &o, &l, &st, &err), 0);
	assert_int_equal(l.nr, 1);
	assert_int_equal(sscanf(l.items[0].text, "part %ld", &part), 1);
	sbuf_addf(&want, "part %ld bytes=%zu model=whisper-test language=en", part, size);
	assert_string_equal(l.items[0].text, want.buf);
	assert_true(fabs(l.items[0].start) < EPS);
	assert_true(fabs(l.items[0].end - small.seconds) < EPS);
	assert_true(fabs(st.audio_seconds - small.seconds) < EPS);
	assert_int_equal(st.segments, 1);
	log = rf_requests();
	assert_int_equal(rf_count(log, "POST /v1/audio/transcriptions ", NULL), 1);
	assert_int_equal(rf_count(log, " 200 auth=present", "format=verbose_json"), 1);
	free(log);
	segment_list_release(&l);
	sbuf_release(&err);
	sbuf_release(&want);
	free(path);
}

static void no_key_sends_no_authorization(void **state)
{
	struct asr_options o = options(NULL, NULL);
	struct segment_list l = SEGMENT_LIST_INIT;
	struct sbuf err = SBUF_INIT(4096);
	char *path = fixture("nokey.wav", &small, NULL), *log;

	(void)state;
	o.language = NULL;
	assert_int_equal(transcribe(path, &o, &l, NULL, &err), 0);
	assert_int_equal(l.nr, 1);
	assert_non_null(strstr(l.items[0].text, "language=-"));
	log = rf_requests();
	assert_int_equal(rf_count(log, " 200 auth=absent", NULL), 1);
	assert_int_equal(rf_count(log, "auth=present", NULL), 0);
	free(log);
	segment_list_release(&l);
	sbuf_release(&err);
	free(path);
}

static void engine_reports_remote_model_and_device(void **state)
{
	struct asr_options o = options(NULL, RF_KEY);
	struct asr_engine *e;
	struct sbuf err = SBUF_INIT(4096);

	(void)state;
	assert_int_equal(asr_engine_open(&e, &o, &err), 0);
	assert_string_equal(asr_engine_name(e), "openai");
	assert_string_equal(asr_engine_model(e), "whisper-test");
	assert_int_equal(asr_engine_devices(e), ASR_DEVICE_REMOTE);
	asr_engine_close(e);
	o.max_request_bytes = 1000;
	assert_int_not_equal(asr_engine_open(&e, &o, &err), 0);
	assert_non_null(strstr(err.buf, "max_request_bytes"));
	sbuf_release(&err);
}

static void text_only_reply_is_one_untimed_segment(void **state)
{
	struct asr_options o = options("?mode=text", RF_KEY);
	struct segment_list l = SEGMENT_LIST_INIT;
	struct sbuf err = SBUF_INIT(4096);
	char *path = fixture("text.wav", &small, NULL);

	(void)state;
	assert_int_equal(transcribe(path, &o, &l, NULL, &err), 0);
	assert_int_equal(l.nr, 1);
	assert_true(l.items[0].start < 0);
	assert_false(segment_list_timed(&l));
	assert_non_null(strstr(l.items[0].text, "model=whisper-test"));
	segment_list_release(&l);
	sbuf_release(&err);
	free(path);
}

/* Every segment has one timed word per word of its text, in order, inside it. */
static void check_words(const struct segment_list *l)
{
	for (size_t i = 0; i < l->nr; i++) {
		const struct segment *s = &l->items[i];
		size_t n = 1;

		for (const char *p = s->text; *p; p++)
			n += *p == ' ';
		assert_int_equal(s->nr_words, n);
		assert_true(!strncmp(s->text, s->words[0].text, strlen(s->words[0].text)));
		for (size_t k = 0; k < s->nr_words; k++) {
			assert_true(s->words[k].start >= s->start - EPS);
			assert_true(s->words[k].end <= s->end + EPS);
			assert_true(s->words[k].end >= s->words[k].start);
			if (k)
				assert_true(s->words[k].start >= s->words[k - 1].end - EPS);
		}
	}
}

static void words_are_kept_when_the_server_times_them(void **state)
{
	struct asr_options o = options("?mode=words", RF_KEY);
	struct segment_list l = SEGMENT_LIST_INIT, plain = SEGMENT_LIST_INIT;
	struct sbuf err = SBUF_INIT(4096);
	char *path = fixture("words.wav", &small, NULL), *big = fixture("wbig.wav", &bursts, NULL);

	(void)state;
	assert_int_equal(transcribe(path, &o, &l, NULL, &err), 0);
	assert_int_equal(l.nr, 1);
	check_words(&l);
	assert_true(fabs(l.items[0].words[l.items[0].nr_words - 1].end - small.seconds) < EPS);
	segment_list_release(&l);
	/* split files: each part's words come back at their original times */
	o.max_request_bytes = SMALL_LIMIT;
	assert_int_equal(transcribe(big, &o, &l, NULL, &err), 0);
	assert_true(l.nr >= 4);
	check_words(&l);
	/* a server that gives no words: segments without any */
	o = options(NULL, RF_KEY);
	assert_int_equal(transcribe(path, &o, &plain, NULL, &err), 0);
	assert_int_equal(plain.items[0].nr_words, 0);
	segment_list_release(&l);
	segment_list_release(&plain);
	sbuf_release(&err);
	free(path);
	free(big);
}

/* ---- large files ---- */

/* Every segment follows the one before and stays inside the audio. */
static void check_stitched(const struct segment_list *l, double seconds)
{
	long prev_part = 0;

	assert_true(fabs(l->items[0].start) < EPS);
	for (size_t i = 0; i < l->nr; i++) {
		long part;
		size_t bytes;

		assert_int_equal(sscanf(l->items[i].text, "part %ld bytes=%zu", &part, &bytes), 2);
		assert_true(bytes <= SMALL_LIMIT);
		assert_true(part > prev_part);
		prev_part = part;
		assert_true(l->items[i].end > l->items[i].start);
		assert_true(l->items[i].end <= seconds + EPS);
		if (i)
			assert_true(fabs(l->items[i].start - l->items[i - 1].end) < EPS);
	}
	assert_true(fabs(l->items[l->nr - 1].end - seconds) < EPS);
}

static void large_file_is_split_at_pauses(void **state)
{
	struct asr_options o = options(NULL, RF_KEY);
	struct segment_list l = SEGMENT_LIST_INIT;
	struct sbuf err = SBUF_INIT(4096);
	struct asr_stats st;
	size_t size;
	char *path = fixture("bursts.wav", &bursts, &size), *log;

	(void)state;
	assert_true(size > 3 * SMALL_LIMIT);
	o.max_request_bytes = SMALL_LIMIT;
	assert_int_equal(transcribe(path, &o, &l, &st, &err), 0);
	log = rf_requests();
	assert_true(l.nr >= 4);
	assert_int_equal(rf_count(log, "POST /v1/audio/transcriptions ", " 200 "), l.nr);
	assert_int_equal(rf_count(log, "auth=present", NULL), l.nr);
	check_stitched(&l, bursts.seconds);
	/* every cut between two parts falls in a pause, never inside a burst */
	for (size_t i = 1; i < l.nr; i++)
		assert_false(in_tone(&bursts, l.items[i].start));
	assert_true(fabs(st.audio_seconds - bursts.seconds) < EPS);
	assert_int_equal(st.utterances, l.nr);
	free(log);
	segment_list_release(&l);
	sbuf_release(&err);
	free(path);
}

static void speech_without_pauses_is_still_split(void **state)
{
	struct asr_options o = options(NULL, RF_KEY);
	struct segment_list l = SEGMENT_LIST_INIT;
	struct sbuf err = SBUF_INIT(4096);
	char *path = fixture("solid.wav", &solid, NULL);

	(void)state;
	o.max_request_bytes = SMALL_LIMIT;
	assert_int_equal(transcribe(path, &o, &l, NULL, &err), 0);
	assert_true(l.nr >= 3);
	check_stitched(&l, solid.seconds);
	segment_list_release(&l);
	sbuf_release(&err);
	free(path);
}

/* ---- errors and retries ---- */

static void unauthorized_says_what_the_server_said(void **state)
{
	struct asr_options o = options("?mode=error401", RF_KEY);
	struct segment_list l = SEGMENT_LIST_INIT;
	struct sbuf err = SBUF_INIT(4096);
	char *path = fixture("e401.wav", &small, NULL), *log;

	(void)state;
	assert_int_not_equal(transcribe(path, &o, &l, NULL, &err), 0);
	assert_non_null(strstr(err.buf, "speech server "));
	assert_non_null(strstr(err.buf, "/v1/audio/transcriptions?mode=error401: HTTP 401: "
				      "Incorrect API key provided"));
	assert_null(strstr(err.buf, RF_KEY));
	log = rf_requests();
	assert_int_equal(rf_count(log, " 401 auth=present", NULL), 1);   /* not retried */
	free(log);
	segment_list_release(&l);
	sbuf_release(&err);
	free(path);
}

static void server_errors_are_retried(void **state)
{
	struct asr_options o = options("?fail=2", RF_KEY);
	struct segment_list l = SEGMENT_LIST_INIT;
	struct sbuf err = SBUF_INIT(4096);
	char *path = fixture("retry.wav", &small, NULL), *log;

	(void)state;
	assert_int_equal(transcribe(path, &o, &l, NULL, &err), 0);
	assert_int_equal(l.nr, 1);
	log = rf_requests();
	assert_int_equal(rf_count(log, "/v1/audio/transcriptions?fail=2 - 500", NULL), 2);
	assert_int_equal(rf_count(log, "/v1/audio/transcriptions?fail=2 - 200", NULL), 1);
	free(log);
	segment_list_release(&l);
	sbuf_release(&err);
	free(path);
}

static void not_audio_fails_before_any_request(void **state)
{
	struct asr_options o = options(NULL, RF_KEY);
	struct segment_list l = SEGMENT_LIST_INIT;
	struct sbuf err = SBUF_INIT(4096);
	char *path = fs_join(rf.dir, "notes.wav"), *log;

	(void)state;
	assert_int_equal(fs_write_atomic(path, "not audio at all\n", 17, &err), 0);
	assert_int_not_equal(transcribe(path, &o, &l, NULL, &err), 0);
	assert_non_null(strstr(err.buf, "notes.wav"));
	log = rf_requests();
	assert_string_equal(log, "");
	free(log);
	segment_list_release(&l);
	sbuf_release(&err);
	free(path);
}

static void too_long_audio_sends_nothing(void **state)
{
	struct asr_options o = options(NULL, RF_KEY);
	struct segment_list l = SEGMENT_LIST_INIT;
	struct sbuf err = SBUF_INIT(4096);
	char *path = fixture("long.wav", &bursts, NULL), *log;

	(void)state;
	o.max_request_bytes = SMALL_LIMIT;
	o.max_seconds = 15;
	assert_int_not_equal(transcribe(path, &o, &l, NULL, &err), 0);
	assert_non_null(strstr(err.buf, "long.wav"));
	assert_int_equal(l.nr, 0);
	log = rf_requests();
	assert_string_equal(log, "");
	free(log);
	sbuf_release(&err);
	free(path);
}

static void api_urls_keep_the_query_at_the_end(void **state)
{
	static const char *const cases[][3] = {
		{ "https://h/v1", "audio/transcriptions", "https://h/v1/audio/transcriptions" },
		{ "https://h/v1/", "/chat/completions", "https://h/v1/chat/completions" },
		{ "https://h/openai?api-version=2", "chat/completions",
		  "https://h/openai/chat/completions?api-version=2" },
		{ "http://h:8080/v1/?a=1&b=2", "x", "http://h:8080/v1/x?a=1&b=2" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *u = net_url_join(cases[i][0], cases[i][1]);

		assert_string_equal(u, cases[i][2]);
		free(u);
	}
}

static void key_is_in_no_log(void **state)
{
	char *log;

	(void)state;
	rf.mark = 0;
	log = rf_requests();
	assert_true(rf_count(log, "auth=present", NULL) >= 5);
	assert_null(strstr(log, RF_KEY));
	assert_true(rf_file_has(rf.log_file, "openai"));   /* the log did get lines */
	assert_false(rf_file_has(rf.log_file, RF_KEY));
	free(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(small_file_is_sent_as_it_is),
		cmocka_unit_test(no_key_sends_no_authorization),
		cmocka_unit_test(engine_reports_remote_model_and_device),
		cmocka_unit_test(text_only_reply_is_one_untimed_segment),
		cmocka_unit_test(words_are_kept_when_the_server_times_them),
		cmocka_unit_test(large_file_is_split_at_pauses),
		cmocka_unit_test(speech_without_pauses_is_still_split),
		cmocka_unit_test(unauthorized_says_what_the_server_said),
		cmocka_unit_test(server_errors_are_retried),
		cmocka_unit_test(not_audio_fails_before_any_request),
		cmocka_unit_test(too_long_audio_sends_nothing),
		cmocka_unit_test(api_urls_keep_the_query_at_the_end),
		cmocka_unit_test(key_is_in_no_log),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
