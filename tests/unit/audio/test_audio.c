/*
 * Unit tests for src/audio: decoding many formats to 16 kHz mono, damaged
 * and non-audio input, the time map, long-silence trimming and the VAD.
 * All audio is made here: flite speech, generated silence, in-process
 * encoders.
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
#include <sys/stat.h>
#include <unistd.h>

#include "audio/audio.h"
#include "testaudio.h"
#include "util/fs.h"

static char *dir;
static struct samples phrase1, phrase2;   /* flite speech, 16 kHz */

#define TOL 0.3   /* seconds of slack on utterance boundaries */

static int setup(void **state)
{
	(void)state;
	dir = ta_tempdir("audio");
	if (!dir)
		return -1;
	if (ta_speech(dir, "slt", "the quick brown fox jumps over the lazy dog", &phrase1) ||
	    ta_speech(dir, "rms", "we went to the market on monday morning", &phrase2))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ta_free(&phrase1);
	ta_free(&phrase2);
	fs_remove_tree(dir);
	free(dir);
	return 0;
}

struct count {
	size_t samples;
	size_t chunks;
	uint64_t next_offset;
	bool offsets_ok;
	double last_start;
};

static int count_cb(const struct audio_chunk *c, void *udata)
{
	struct count *k = udata;

	if (c->offset != k->next_offset || fabs(c->start - (double)c->orig / AUDIO_RATE) > 1e-9)
		k->offsets_ok = false;
	k->next_offset = c->offset + c->n;
	k->samples += c->n;
	k->chunks++;
	k->last_start = c->start;
	return 0;
}

static int decode_count(const char *path, const struct audio_options *o,
			struct count *k, struct sbuf *err)
{
	memset(k, 0, sizeof(*k));
	k->offsets_ok = true;
	return audio_decode(path, o, count_cb, k, err);
}

static void wav_duration(void **state)
{
	struct sbuf err = SBUF_INIT(4096);
	struct audio_info info = { 0 };
	struct audio_options o = AUDIO_OPTIONS_INIT;
	struct count k;
	char *p = ta_path(dir, "one.wav");

	(void)state;
	assert_int_equal(ta_write_wav(p, &phrase1, AUDIO_RATE, 1), 0);
	o.info = &info;
	o.chunk_samples = 4000;
	assert_int_equal(decode_count(p, &o, &k, &err), 0);
	assert_int_equal(k.samples, phrase1.n);
	assert_true(k.offsets_ok);
	assert_true(k.chunks >= phrase1.n / 4000);
	assert_true(fabs(info.duration - (double)phrase1.n / AUDIO_RATE) < 0.001);
	assert_false(info.truncated);
	assert_string_equal(info.codec, "pcm_s16le");
	/* the header states the same length, without decoding */
	info.duration = 0;
	assert_int_equal(audio_probe_duration(p, &info.duration, &err), 0);
	assert_true(fabs(info.duration - (double)phrase1.n / AUDIO_RATE) < 0.001);
	free(p);
	sbuf_release(&err);
}

/*
 * A FLAC whose STREAMINFO claims about 50 days of samples: no more is
 * believed than its size holds at AUDIO_PROBE_MIN_BYTES_PER_SECOND.
 */
static void probe_lying_header(void **state)
{
	struct sbuf err = SBUF_INIT(4096);
	char *p = ta_path(dir, "liar.flac");
	unsigned char b[26];
	double got = 0, most;
	struct stat st;
	FILE *f;

	(void)state;
	if (ta_encode(p, &phrase1, "flac", "flac")) {
		print_message("flac encoder not available: lying header not covered\n");
		free(p);
		return;
	}
	f = fopen(p, "r+b");
	assert_non_null(f);
	assert_int_equal(fread(b, 1, sizeof(b), f), sizeof(b));
	assert_memory_equal(b, "fLaC", 4);
	/* STREAMINFO's 36-bit total sample count: the low 4 bits of byte 21, then 4 bytes */
	b[21] |= 0x0f;
	memset(b + 22, 0xff, 4);
	assert_int_equal(fseek(f, 0, SEEK_SET), 0);
	assert_int_equal(fwrite(b, 1, sizeof(b), f), sizeof(b));
	fclose(f);
	assert_int_equal(stat(p, &st), 0);
	most = (double)st.st_size / AUDIO_PROBE_MIN_BYTES_PER_SECOND;
	assert_int_equal(audio_probe_duration(p, &got, &err), 0);
	if (fabs(got - most) > 0.001)
		fail_msg("probed %.3f s from a header claiming days; its size allows %.3f s", got,
			 most);
	free(p);
	sbuf_release(&err);
}

/* 44.1 kHz stereo goes through the resampler and the downmix. */
static void wav_stereo_44k(void **state)
{
	struct sbuf err = SBUF_INIT(4096);
	struct audio_info info = { 0 };
	struct audio_options o = AUDIO_OPTIONS_INIT;
	struct samples got = { 0 };
	struct count k;
	char *p = ta_path(dir, "stereo.wav");

	(void)state;
	/* The 16 kHz samples written as 44.1 kHz: the file lasts 16/44.1 as long. */
	assert_int_equal(ta_write_wav(p, &phrase1, 44100, 2), 0);
	o.info = &info;
	assert_int_equal(decode_count(p, &o, &k, &err), 0);
	assert_true(fabs(info.duration - (double)phrase1.n / 44100) < 0.01);
	assert_int_equal(ta_load(p, &got), 0);
	assert_true(fabs((double)got.n - (double)phrase1.n * AUDIO_RATE / 44100) < 200);
	ta_free(&got);
	free(p);
	sbuf_release(&err);
}

static double rms(const struct samples *s)
{
	double sum = 0;

	for (size_t i = 0; i < s->n; i++)
		sum += (double)s->s[i] * s->s[i];
	return s->n ? sqrt(sum / s->n) : 0;
}

/* The length the container of p states is about want seconds. */
static void probe_near(const char *p, double want)
{
	struct sbuf err = SBUF_INIT(4096);
	double got = 0;

	assert_int_equal(audio_probe_duration(p, &got, &err), 0);
	if (fabs(got - want) >= 0.15)
		fail_msg("%s: probed %.3f s, want %.3f s", p, got, want);
	sbuf_release(&err);
}

/* Encodes phrase1 with libavcodec and decodes it back. */
static void one_format(const char *name, const char *codec, const char *format)
{
	struct samples got = { 0 };
	char *p = ta_path(dir, name);
	double want = (double)phrase1.n / AUDIO_RATE;

	if (ta_encode(p, &phrase1, codec, format)) {
		print_message("encoder %s/%s not available: %s not covered\n", codec, format, name);
		free(p);
		return;
	}
	assert_int_equal(ta_load(p, &got), 0);
	/* Encoder delay and padding add or remove a few tens of ms. */
	assert_true(fabs((double)got.n / AUDIO_RATE - want) < 0.15);
	probe_near(p, want);
	/* Lossy, but the speech is still there at about the same level. */
	assert_true(rms(&got) > 0.5 * rms(&phrase1));
	assert_true(rms(&got) < 1.5 * rms(&phrase1));
	ta_free(&got);
	free(p);
}

static void other_formats(void **state)
{
	(void)state;
	one_format("x.flac", "flac", "flac");
	one_format("x.mp3", "libmp3lame", "mp3");
	one_format("x.m4a", "aac", "ipod");
	one_format("x.ogg", "libvorbis", "ogg");
	one_format("x.opus", "libopus", "ogg");
	one_format("x.webm", "libopus", "webm");
}

static void text_file_named_mp3(void **state)
{
	struct sbuf err = SBUF_INIT(4096);
	struct count k;
	char *p = ta_path(dir, "notes.mp3");
	FILE *f = fopen(p, "w");

	(void)state;
	for (int i = 0; i < 200; i++)
		fprintf(f, "This is a text file, line %d, not audio at all.\n", i);
	fclose(f);
	assert_true(decode_count(p, NULL, &k, &err) < 0);
	assert_non_null(strstr(err.buf, p));
	assert_int_equal(k.samples, 0);
	sbuf_reset(&err);
	assert_true(audio_probe_duration(p, &(double){ 0 }, &err) < 0);
	assert_non_null(strstr(err.buf, p));
	free(p);
	sbuf_release(&err);
}

static void empty_file(void **state)
{
	struct sbuf err = SBUF_INIT(4096);
	struct count k;
	char *p = ta_path(dir, "empty.m4a");
	FILE *f = fopen(p, "w");

	(void)state;
	fclose(f);
	assert_true(decode_count(p, NULL, &k, &err) < 0);
	assert_non_null(strstr(err.buf, p));
	free(p);
	sbuf_release(&err);
}

static void truncate_file(const char *path, long keep)
{
	assert_int_equal(truncate(path, keep), 0);
}

/* A cut-off MP3 decodes up to the cut; a stub with no frames is an error. */
static void truncated_mp3(void **state)
{
	struct sbuf err = SBUF_INIT(4096);
	struct audio_info info = { 0 };
	struct audio_options o = AUDIO_OPTIONS_INIT;
	struct count k;
	char *p = ta_path(dir, "cut.mp3");
	double full = (double)phrase1.n / AUDIO_RATE;
	FILE *f;
	long size;

	(void)state;
	if (ta_encode(p, &phrase1, "libmp3lame", "mp3")) {
		print_message("no MP3 encoder: truncated MP3 not covered\n");
		free(p);
		return;
	}
	f = fopen(p, "rb");
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fclose(f);
	truncate_file(p, size / 2);
	o.info = &info;
	assert_int_equal(decode_count(p, &o, &k, &err), 0);
	assert_true(info.duration > 0.3 * full);
	assert_true(info.duration < 0.7 * full);
	truncate_file(p, 20);
	sbuf_reset(&err);
	assert_true(decode_count(p, &o, &k, &err) < 0);
	assert_non_null(strstr(err.buf, p));
	free(p);
	sbuf_release(&err);
}

static void missing_file(void **state)
{
	struct sbuf err = SBUF_INIT(4096);
	struct count k;
	char *p = ta_path(dir, "nope.mp3");

	(void)state;
	assert_true(decode_count(p, NULL, &k, &err) < 0);
	assert_non_null(strstr(err.buf, p));
	free(p);
	sbuf_release(&err);
}

static int stop_cb(const struct audio_chunk *c, void *udata)
{
	(void)c;
	(void)udata;
	return 7;
}

static void callback_stops_decoding(void **state)
{
	struct sbuf err = SBUF_INIT(4096);
	char *p = ta_path(dir, "stop.wav");

	(void)state;
	assert_int_equal(ta_write_wav(p, &phrase1, AUDIO_RATE, 1), 0);
	assert_int_equal(audio_decode(p, NULL, stop_cb, NULL, &err), 7);
	free(p);
	sbuf_release(&err);
}

static void max_seconds_cap(void **state)
{
	struct sbuf err = SBUF_INIT(4096);
	struct audio_options o = AUDIO_OPTIONS_INIT;
	struct count k;
	char *p = ta_path(dir, "cap.wav");

	(void)state;
	assert_int_equal(ta_write_wav(p, &phrase1, AUDIO_RATE, 1), 0);
	o.max_seconds = 0.5;
	assert_int_equal(decode_count(p, &o, &k, &err), -PC_ETOOBIG);
	assert_non_null(strstr(err.buf, p));
	free(p);
	sbuf_release(&err);
}

static void timemap(void **state)
{
	struct audio_timemap m = AUDIO_TIMEMAP_INIT;

	(void)state;
	assert_true(fabs(audio_timemap_seconds(&m, 16000) - 1.0) < 1e-9);
	audio_timemap_add(&m, 0, 0);
	audio_timemap_add(&m, 16000, 16000);       /* continuous: not stored */
	assert_int_equal(m.nr, 1);
	audio_timemap_add(&m, 32000, 80000);       /* 3 s were cut here */
	audio_timemap_add(&m, 40000, 160000);
	assert_int_equal(m.nr, 3);
	assert_true(fabs(audio_timemap_seconds(&m, 8000) - 0.5) < 1e-9);
	assert_true(fabs(audio_timemap_seconds(&m, 32000) - 5.0) < 1e-9);
	assert_true(fabs(audio_timemap_seconds(&m, 36000) - 5.25) < 1e-9);
	assert_true(fabs(audio_timemap_seconds(&m, 48000) - 10.5) < 1e-9);
	audio_timemap_release(&m);
}

/* ---- VAD ----------------------------------------------------------------- */

struct utts {
	struct audio_utterance *u[64];
	size_t n;
};

static int keep_utt(struct audio_utterance *u, void *udata)
{
	struct utts *l = udata;

	assert_true(l->n < 64);
	assert_int_equal(u->index, l->n);
	l->u[l->n++] = u;
	return 0;
}

static void utts_free(struct utts *l)
{
	for (size_t i = 0; i < l->n; i++)
		audio_utterance_free(l->u[i]);
	l->n = 0;
}

static void segment(const char *path, const struct audio_options *o,
		    const struct audio_vad_options *vo, struct utts *out)
{
	struct sbuf err = SBUF_INIT(4096);
	struct audio_vad *v = audio_vad_new(vo, keep_utt, out);

	assert_int_equal(audio_decode(path, o, audio_vad_feed_chunk, v, &err), 0);
	assert_int_equal(audio_vad_finish(v), 0);
	audio_vad_free(v);
	sbuf_release(&err);
}

/* phrase1, `gap` seconds of near-silence, phrase2; returns phrase2's offset. */
static double two_phrases(const char *path, double lead, double gap)
{
	struct samples s = { 0 };
	double at;

	ta_append_silence(&s, lead);
	ta_append(&s, phrase1.s, phrase1.n);
	ta_append_silence(&s, gap);
	at = (double)s.n / AUDIO_RATE;
	ta_append(&s, phrase2.s, phrase2.n);
	ta_append_silence(&s, 0.5);
	assert_int_equal(ta_write_wav(path, &s, AUDIO_RATE, 1), 0);
	ta_free(&s);
	return at;
}

/* Index of the first utterance starting at or after t - TOL. */
static size_t first_after(const struct utts *l, double t)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->u[i]->start >= t - TOL)
			return i;
	return l->n;
}

static void vad_splits_on_pause(void **state)
{
	struct utts l = { .n = 0 };
	char *p = ta_path(dir, "two.wav");
	double at = two_phrases(p, 1.0, 1.5);
	size_t k;

	(void)state;
	segment(p, NULL, NULL, &l);
	assert_true(l.n >= 2);
	/* Speech starts at 1.0 s; padding may take a little before it. */
	assert_true(fabs(l.u[0]->start - 1.0) < TOL);
	k = first_after(&l, at);
	assert_true(k > 0 && k < l.n);
	assert_true(fabs(l.u[k]->start - at) < TOL);
	/* Nothing of the 1.5 s pause is inside an utterance except padding. */
	assert_true(l.u[k - 1]->end < at - 0.9);
	for (size_t i = 0; i < l.n; i++) {
		assert_int_equal(l.u[i]->n, (size_t)llround((l.u[i]->end - l.u[i]->start) * AUDIO_RATE));
		assert_true(l.u[i]->n <= 25 * AUDIO_RATE);
	}
	utts_free(&l);
	free(p);
}

static void vad_silence_only(void **state)
{
	struct samples s = { 0 };
	struct utts l = { .n = 0 };
	char *p = ta_path(dir, "quiet.wav");

	(void)state;
	ta_append_silence(&s, 3.0);
	assert_int_equal(ta_write_wav(p, &s, AUDIO_RATE, 1), 0);
	segment(p, NULL, NULL, &l);
	assert_int_equal(l.n, 0);
	ta_free(&s);
	free(p);
}

/* Speech with no pause longer than flite's own is cut at max_utterance. */
static void vad_max_utterance(void **state)
{
	struct audio_vad_options vo = AUDIO_VAD_OPTIONS_INIT;
	struct samples s = { 0 };
	struct utts l = { .n = 0 };
	char *p = ta_path(dir, "long.wav");
	double total;

	(void)state;
	for (int i = 0; i < 3; i++) {
		ta_append(&s, phrase1.s, phrase1.n);
		ta_append(&s, phrase2.s, phrase2.n);
	}
	total = (double)s.n / AUDIO_RATE;
	assert_int_equal(ta_write_wav(p, &s, AUDIO_RATE, 1), 0);
	vo.max_utterance = 3.0;
	vo.min_silence = 5.0;     /* never split on pauses here */
	segment(p, NULL, &vo, &l);
	assert_true(l.n >= (size_t)(total / 3.0));
	for (size_t i = 0; i < l.n; i++) {
		assert_true(l.u[i]->end - l.u[i]->start <= 3.0 + 0.011);
		/* Split pieces follow each other without gap or overlap. */
		if (i)
			assert_true(fabs(l.u[i]->start - l.u[i - 1]->end) < 1e-6);
	}
	ta_free(&s);
	utts_free(&l);
	free(p);
}

/* Preprocessing cuts the long pause, yet times stay those of the original. */
static void trim_keeps_original_times(void **state)
{
	struct audio_options o = AUDIO_OPTIONS_INIT;
	struct audio_info info = { 0 };
	struct utts l = { .n = 0 };
	char *p = ta_path(dir, "gap.wav");
	double at = two_phrases(p, 0.5, 6.0);
	size_t k;

	(void)state;
	o.preprocess = true;
	o.info = &info;
	segment(p, &o, NULL, &l);
	/* About 6 - AUDIO_TRIM_KEEP seconds of the pause were dropped (plus
	 * the quiet ends flite leaves around each phrase). */
	assert_true(info.delivered < info.duration - 4.5);
	assert_true(info.delivered > info.duration - 7.0);
	assert_true(l.n >= 2);
	k = first_after(&l, at);
	assert_true(k > 0 && k < l.n);
	assert_true(l.u[k]->start >= at - TOL);
	assert_true(l.u[k]->start < at + TOL);
	assert_true(fabs(l.u[0]->start - 0.5) < TOL);
	utts_free(&l);
	free(p);
}

/* Normalization changes levels, not length; a quiet file becomes louder. */
static void normalization(void **state)
{
	struct audio_options o = AUDIO_OPTIONS_INIT;
	struct audio_info info = { 0 };
	struct samples quiet = { 0 }, got = { 0 };
	char *p = ta_path(dir, "quiet_speech.wav");

	(void)state;
	/* A few seconds, so the gain settles past its first window. */
	for (int i = 0; i < 4; i++)
		ta_append(&quiet, phrase1.s, phrase1.n);
	for (size_t i = 0; i < quiet.n; i++)
		quiet.s[i] /= 20;
	assert_int_equal(ta_write_wav(p, &quiet, AUDIO_RATE, 1), 0);
	o.preprocess = true;
	o.info = &info;
	assert_int_equal(ta_load_with(p, &o, &got), 0);
	assert_true(fabs(info.duration - (double)quiet.n / AUDIO_RATE) < 0.001);
	assert_int_equal(got.n, quiet.n);
	assert_true(rms(&got) > 4 * rms(&quiet));
	ta_free(&quiet);
	ta_free(&got);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wav_duration),
		cmocka_unit_test(wav_stereo_44k),
		cmocka_unit_test(probe_lying_header),
		cmocka_unit_test(other_formats),
		cmocka_unit_test(text_file_named_mp3),
		cmocka_unit_test(empty_file),
		cmocka_unit_test(truncated_mp3),
		cmocka_unit_test(missing_file),
		cmocka_unit_test(callback_stops_decoding),
		cmocka_unit_test(max_seconds_cap),
		cmocka_unit_test(timemap),
		cmocka_unit_test(vad_splits_on_pause),
		cmocka_unit_test(vad_silence_only),
		cmocka_unit_test(vad_max_utterance),
		cmocka_unit_test(trim_keeps_original_times),
		cmocka_unit_test(normalization),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
