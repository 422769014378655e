/*
 * Unit tests for src/asr with the pocketsphinx engine on flite speech:
 * recognition quality (loose), times true to the original audio with and
 * without preprocessing, determinism across thread counts, names added to
 * the dictionary, and the errors users see.
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
#include "asr/asr_backend.h"
#include "testaudio.h"
#include "transcript/transcript.h"
#include "util/fs.h"
#include "util/strlist.h"

#define TOL 0.35

static const char *const text1 = "the quick brown fox jumps over the lazy dog";
static const char *const text2 = "we went to the market on monday morning";
static const char *const text3 = "she sells fresh bread and milk every day";

static char *dir;
static struct samples phrase1, phrase2, phrase3;
static struct asr_engine *e1, *e2;   /* one and two workers */

static int setup(void **state)
{
	struct sbuf err = SBUF_INIT(4096);
	struct asr_options o = ASR_OPTIONS_INIT;

	(void)state;
	dir = ta_tempdir("asr");
	if (!dir || ta_speech(dir, "slt", text1, &phrase1) ||
	    ta_speech(dir, "rms", text2, &phrase2) ||
	    ta_speech(dir, "awb", text3, &phrase3))
		return -1;
	o.workers = 1;
	if (asr_engine_open(&e1, &o, &err))
		goto fail;
	o.workers = 2;
	if (asr_engine_open(&e2, &o, &err))
		goto fail;
	sbuf_release(&err);
	return 0;
fail:
	fprintf(stderr, "%s\n", err.buf);
	sbuf_release(&err);
	return -1;
}

static int teardown(void **state)
{
	(void)state;
	asr_engine_close(e1);
	asr_engine_close(e2);
	ta_free(&phrase1);
	ta_free(&phrase2);
	ta_free(&phrase3);
	fs_remove_tree(dir);
	free(dir);
	return 0;
}

/* Writes lead silence, then each phrase followed by gap seconds. */
static char *make_file(const char *name, double lead, double gap, int nphrases,
		       double *starts)
{
	const struct samples *ph[] = { &phrase1, &phrase2, &phrase3 };
	struct samples s = { 0 };
	char *p = ta_path(dir, name);

	ta_append_silence(&s, lead);
	for (int i = 0; i < nphrases; i++) {
		if (starts)
			starts[i] = (double)s.n / 16000;
		ta_append(&s, ph[i % 3]->s, ph[i % 3]->n);
		ta_append_silence(&s, gap);
	}
	assert_int_equal(ta_write_wav(p, &s, 16000, 1), 0);
	ta_free(&s);
	return p;
}

static void joined_text(const struct segment_list *l, struct sbuf *out)
{
	for (size_t i = 0; i < l->nr; i++)
		sbuf_addf(out, "%s%s", out->len ? " " : "", l->items[i].text);
}

static void transcribe(struct asr_engine *e, const char *path, bool preprocess,
		       struct segment_list *out, struct asr_stats *st)
{
	struct asr_options o = ASR_OPTIONS_INIT;
	struct sbuf err = SBUF_INIT(4096);
	int rc;

	o.preprocess = preprocess;
	rc = asr_engine_transcribe(e, path, &o, out, st, &err);
	if (rc)
		print_message("transcribe: %s\n", err.buf);
	assert_int_equal(rc, 0);
	sbuf_release(&err);
}

/* The first segment containing word, or -1. */
static long segment_of(const struct segment_list *l, const char *word)
{
	for (size_t i = 0; i < l->nr; i++)
		if (strstr(l->items[i].text, word))
			return (long)i;
	return -1;
}

/* Two phrases 1.5 s apart: the words, and segments at the right times. */
static void recognizes_words_and_times(void **state)
{
	struct segment_list l = SEGMENT_LIST_INIT;
	struct asr_stats st;
	struct sbuf hyp = SBUF_INIT(1 << 16), ref = SBUF_INIT(1 << 16);
	double at[2];
	char *p = make_file("pause.wav", 1.0, 1.5, 2, at);
	double wer;
	long k;

	(void)state;
	transcribe(e2, p, false, &l, &st);
	joined_text(&l, &hyp);
	sbuf_addf(&ref, "%s %s", text1, text2);
	wer = ta_wer(ref.buf, hyp.buf);
	print_message("hyp: %s (WER %.2f)\n", hyp.buf, wer);
	/* flite speech is recognized with ~10% errors; a broken engine fails. */
	assert_true(wer <= 0.4);
	assert_int_equal(st.segments, l.nr);
	assert_true(st.utterances >= 2);
	assert_true(fabs(st.audio_seconds - (at[1] + 1.5 + (double)phrase2.n / 16000)) < 0.01);
	for (size_t i = 0; i < l.nr; i++) {
		assert_true(l.items[i].end > l.items[i].start);
		assert_true(l.items[i].end <= st.audio_seconds + 0.01);
		assert_null(strpbrk(l.items[i].text, "<>[]()"));
	}
	assert_true(l.nr >= 2);
	assert_true(fabs(l.items[0].start - at[0]) < TOL);
	k = segment_of(&l, "market");
	assert_true(k > 0);
	assert_true(l.items[k].start >= at[1] - TOL);
	assert_true(l.items[k].start < at[1] + 1.0);
	assert_true(l.items[k - 1].end <= at[1]);
	segment_list_release(&l);
	sbuf_release(&hyp);
	sbuf_release(&ref);
	free(p);
}

/* With a 6 s pause trimmed to 0.5 s, times still match the original file. */
static void trimmed_times_stay_true(void **state)
{
	struct segment_list pre = SEGMENT_LIST_INIT;
	struct asr_stats st;
	double at[2];
	char *p = make_file("gap.wav", 0.5, 6.0, 2, at);
	long b;

	(void)state;
	transcribe(e2, p, true, &pre, &st);
	b = segment_of(&pre, "market");
	assert_true(b > 0);
	/* Without the time map it would start about 5.5 s too early. */
	assert_true(pre.items[b].start >= at[1] - TOL);
	assert_true(pre.items[b].start < at[1] + 1.0);
	assert_true(fabs(pre.items[0].start - at[0]) < TOL);
	assert_true(st.audio_seconds > at[1] + 2.0);
	segment_list_release(&pre);
	free(p);
}

static void assert_same(const struct segment_list *a, const struct segment_list *b)
{
	assert_int_equal(a->nr, b->nr);
	for (size_t i = 0; i < a->nr; i++) {
		assert_string_equal(a->items[i].text, b->items[i].text);
		assert_true(a->items[i].start == b->items[i].start);
		assert_true(a->items[i].end == b->items[i].end);
	}
}

static void deterministic(void **state)
{
	struct segment_list a = SEGMENT_LIST_INIT, b = SEGMENT_LIST_INIT,
			    c = SEGMENT_LIST_INIT;
	struct asr_stats st;
	char *p = make_file("many.wav", 0.3, 0.7, 3, NULL);

	(void)state;
	transcribe(e1, p, true, &a, NULL);
	transcribe(e1, p, true, &b, NULL);
	transcribe(e2, p, true, &c, &st);
	assert_true(a.nr >= 3);
	assert_true(st.utterances >= 3);
	assert_int_equal(st.workers, 2);
	assert_same(&a, &b);
	assert_same(&a, &c);
	segment_list_release(&a);
	segment_list_release(&b);
	segment_list_release(&c);
	free(p);
}

static void g2p_and_name_words(void **state)
{
	struct sbuf ph = SBUF_INIT(256);
	struct strlist w = STRLIST_INIT;
	const char *names[] = { "Dr. Jane O'Neil-Smith", "José Ruiz", "R2D2", "jane" };

	(void)state;
	assert_int_equal(asr_g2p("maya", &ph), 0);
	assert_string_equal(ph.buf, "M AY AH");
	sbuf_reset(&ph);
	assert_int_equal(asr_g2p("verbeek", &ph), 0);
	assert_string_equal(ph.buf, "V ER B IY K");
	sbuf_reset(&ph);
	assert_int_equal(asr_g2p("'", &ph), -PC_ENOTFOUND);
	asr_name_words(names, ARRAY_SIZE(names), &w);
	assert_int_equal(w.nr, 5);
	assert_string_equal(w.items[0], "dr");
	assert_string_equal(w.items[1], "jane");
	assert_string_equal(w.items[2], "o'neil");
	assert_string_equal(w.items[3], "smith");
	assert_string_equal(w.items[4], "ruiz");
	strlist_release(&w);
	sbuf_release(&ph);
}

static void add_words(void **state)
{
	struct sbuf err = SBUF_INIT(4096), ph = SBUF_INIT(256), before = SBUF_INIT(256);
	const char *names[] = { "Zorblatt Quexley", "John Smith", "R2D2" };

	(void)state;
	assert_false(asr_lookup_word(e2, "zorblatt", NULL));
	assert_false(asr_lookup_word(e2, "quexley", NULL));
	assert_true(asr_lookup_word(e2, "smith", &before));
	assert_int_equal(asr_add_words(e2, names, ARRAY_SIZE(names), &err), 0);
	assert_true(asr_lookup_word(e2, "zorblatt", &ph));
	assert_string_equal(ph.buf, "Z AO R B L AH T");
	assert_true(asr_lookup_word(e2, "quexley", NULL));
	sbuf_reset(&ph);
	assert_true(asr_lookup_word(e2, "smith", &ph));
	assert_string_equal(ph.buf, before.buf);
	/* Adding again is harmless. */
	assert_int_equal(asr_add_words(e2, names, ARRAY_SIZE(names), &err), 0);
	sbuf_release(&err);
	sbuf_release(&ph);
	sbuf_release(&before);
}

static void missing_model(void **state)
{
	struct sbuf err = SBUF_INIT(4096);
	struct asr_options o = ASR_OPTIONS_INIT;
	struct asr_engine *e = NULL;

	(void)state;
	o.model_dir = dir;
	o.workers = 1;
	assert_int_equal(asr_engine_open(&e, &o, &err), -PC_ENOTFOUND);
	assert_null(e);
	assert_non_null(strstr(err.buf, "pocketsphinx-en-us"));
	assert_non_null(strstr(err.buf, "asr_model_dir"));
	assert_non_null(strstr(err.buf, dir));
	sbuf_release(&err);
}

static void unknown_engine(void **state)
{
	struct sbuf err = SBUF_INIT(4096);
	struct asr_options o = ASR_OPTIONS_INIT;
	struct asr_engine *e = NULL;

	(void)state;
	o.engine = "whisper-turbo";
	assert_int_equal(asr_engine_open(&e, &o, &err), -PC_EUSAGE);
	assert_non_null(strstr(err.buf, "whisper-turbo"));
	sbuf_release(&err);
}

static void not_audio(void **state)
{
	struct sbuf err = SBUF_INIT(4096);
	struct asr_options o = ASR_OPTIONS_INIT;
	struct segment_list l = SEGMENT_LIST_INIT;
	char *p = ta_path(dir, "episode.mp3");
	FILE *f = fopen(p, "w");

	(void)state;
	fputs("<html><body>404 not found</body></html>\n", f);
	fclose(f);
	assert_true(asr_engine_transcribe(e1, p, &o, &l, NULL, &err) < 0);
	assert_non_null(strstr(err.buf, p));
	assert_int_equal(l.nr, 0);
	sbuf_release(&err);
	free(p);
}

/* Looks up the log10 probability written for an n-gram line ("a b"). */
static double arpa_prob(const char *arpa, int order, const char *gram, double *bow)
{
	char head[32];
	const char *sec, *line;

	snprintf(head, sizeof(head), "\\%d-grams:\n", order);
	sec = strstr(arpa, head);
	assert_non_null(sec);
	for (line = strchr(sec, '\n') + 1; *line && *line != '\n'; line = strchr(line, '\n') + 1) {
		const char *sp = strchr(line, ' ');
		size_t n = strlen(gram);

		if (!strncmp(sp + 1, gram, n) && (sp[1 + n] == ' ' || sp[1 + n] == '\n')) {
			if (bow)
				*bow = sp[1 + n] == ' ' ? atof(sp + 1 + n) : 0;
			return atof(line);
		}
	}
	fail_msg("n-gram '%s' not in the model", gram);
	return 0;
}

/*
 * The show model: counts by hand for "a b. a c." (a:2 b:1 c:1 </s>:2 of 6),
 * and the probabilities after "a" (seen b, c; the rest through the backoff
 * weight) add up to one.
 */
static void show_model_counts(void **state)
{
	struct sbuf arpa = SBUF_INIT(1 << 16);
	struct strlist words = STRLIST_INIT;
	double bow_a, pb, pc, ub, uc, ua;

	(void)state;
	assert_int_equal(asr_lm_arpa("A b. a, C!", 10, &arpa, &words), 0);
	assert_int_equal(words.nr, 3);
	assert_string_equal(words.items[0], "a");
	assert_non_null(strstr(arpa.buf, "ngram 1=5\nngram 2=5\nngram 3=4\n"));
	ua = pow(10, arpa_prob(arpa.buf, 1, "a", &bow_a));
	ub = pow(10, arpa_prob(arpa.buf, 1, "b", NULL));
	uc = pow(10, arpa_prob(arpa.buf, 1, "c", NULL));
	assert_float_equal(ua, 2.0 / 6, 1e-3);
	assert_float_equal(pow(10, bow_a), 0.7, 1e-3);   /* D * 2 followers / 2 */
	pb = pow(10, arpa_prob(arpa.buf, 2, "a b", NULL));
	pc = pow(10, arpa_prob(arpa.buf, 2, "a c", NULL));
	assert_float_equal(pb + pc + pow(10, bow_a) * (1 - ub - uc), 1.0, 2e-3);
	assert_float_equal(pow(10, arpa_prob(arpa.buf, 2, "<s> a", NULL)), 0.65 + 0.35 * ua, 1e-3);
	assert_int_equal(asr_lm_arpa(" 42, !", 6, &arpa, &words), -PC_ENOTFOUND);
	strlist_release(&words);
	sbuf_release(&arpa);
}

/*
 * Show text teaches words the dictionary lacks and makes the show's phrases
 * likely: a name no general model knows is recognized only with it.
 */
static void show_context(void **state)
{
	static const char *const spoken = "welcome to kernel talk with priya natarajan";
	static const char *const show =
		"Kernel Talk with Priya Natarajan. A podcast about compilers.\n"
		"Welcome to Kernel Talk with Priya Natarajan and her guests.\n";
	struct sbuf err = SBUF_INIT(4096), hyp = SBUF_INIT(1 << 16);
	struct segment_list l = SEGMENT_LIST_INIT;
	struct samples s = { 0 };
	char *p = ta_path(dir, "show.wav");

	(void)state;
	assert_int_equal(ta_speech(dir, "slt", spoken, &s), 0);
	assert_int_equal(ta_write_wav(p, &s, 16000, 1), 0);
	assert_false(asr_lookup_word(e1, "natarajan", NULL));
	assert_int_equal(asr_set_context(e1, show, &err), 0);
	assert_true(asr_lookup_word(e1, "natarajan", NULL));
	transcribe(e1, p, true, &l, NULL);
	joined_text(&l, &hyp);
	assert_non_null(strstr(hyp.buf, "natarajan"));
	assert_true(ta_wer(spoken, hyp.buf) <= 0.2);
	/* back to the general model (the name stays in the dictionary) */
	assert_int_equal(asr_set_context(e1, NULL, &err), 0);
	assert_true(asr_lookup_word(e1, "natarajan", NULL));
	ta_free(&s);
	segment_list_release(&l);
	sbuf_release(&hyp);
	sbuf_release(&err);
	free(p);
}

/*
 * The one-call form opens, adds names, transcribes and closes.  The number
 * of decoders is left to the engine: one, since two with show models would
 * not fit in ASR_MEMORY_MB whatever the number of cores.
 */
static void transcribe_file(void **state)
{
	struct sbuf err = SBUF_INIT(4096), hyp = SBUF_INIT(1 << 16);
	struct asr_options o = ASR_OPTIONS_INIT;
	struct segment_list l = SEGMENT_LIST_INIT;
	struct asr_stats st;
	const char *names[] = { "Maya Verbeek" };
	char *p = make_file("one.wav", 0.2, 0.3, 1, NULL);

	(void)state;
	o.words = names;
	o.nwords = 1;
	assert_int_equal(asr_transcribe_file(p, &o, &l, &st, &err), 0);
	joined_text(&l, &hyp);
	assert_true(ta_wer(text1, hyp.buf) <= 0.4);
	assert_int_equal(st.workers, 1);
	assert_true(st.recognize_seconds > 0);
	assert_true(st.speech_seconds > 1.0);
	assert_true(st.speech_seconds <= st.audio_seconds + 0.01);
	segment_list_release(&l);
	sbuf_release(&hyp);
	sbuf_release(&err);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(recognizes_words_and_times),
		cmocka_unit_test(trimmed_times_stay_true),
		cmocka_unit_test(deterministic),
		cmocka_unit_test(g2p_and_name_words),
		cmocka_unit_test(add_words),
		cmocka_unit_test(show_model_counts),
		cmocka_unit_test(show_context),
		cmocka_unit_test(missing_model),
		cmocka_unit_test(unknown_engine),
		cmocka_unit_test(not_audio),
		cmocka_unit_test(transcribe_file),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
