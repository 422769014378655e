/*
 * asr_pocketsphinx.c - the local engine: one pocketsphinx decoder per
 * instance.
 *
 * Each utterance is decoded in one call with full_utt set, which makes the
 * model's batch cepstral mean normalization (-cmn batch in feat.params) run
 * over that utterance alone, and each utterance starts a new stream, which
 * resets the spectral noise estimate: no state flows from one utterance to
 * the next, so the result does not depend on which decoder got which
 * utterance.  Its
 * own silence removal is off: our VAD already cut the audio, and dropped
 * frames would shift word times.
 *
 * Logging: sphinxbase logs to a global FILE* that every ps_init() with
 * -logfn would reopen and close under the feet of other decoders' threads;
 * instead logging is switched off once for the process (err_set_logfp(NULL)
 * and a silent callback), which covers cmd_ln's configuration dump too.
 */
#include "asr/asr_backend.h"
#include "log/log.h"
#include "transcript/transcript.h"
#include "util/fs.h"
#include "util/strlist.h"

#include <pocketsphinx.h>
#include <sphinxbase/err.h>
#include <sphinxbase/ngram_model.h>

#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define FRAMES_PER_SECOND 100
#define SAMPLES_PER_FRAME (AUDIO_RATE / FRAMES_PER_SECOND)
/* A pause this long inside an utterance starts a new segment. */
#define SEGMENT_GAP 1.0
#define TEXT_MAX (1 << 20)
#define DEFAULT_SEARCH "_default"

struct psx {
	ps_decoder_t *ps;
	cmd_ln_t *config;
	ngram_model_t *general;   /* the packaged model, kept across shows */
	bool show;                /* the search holds a show's interpolated model */
	bool detached;            /* no n-gram search while words are added */
	float32 weight;           /* the show model's share */
};

static void sphinx_silent(void *udata, err_lvl_t level, const char *fmt, ...)
{
	(void)udata;
	(void)level;
	(void)fmt;
}

static void sphinx_quiet_once(void)
{
	err_set_logfp(NULL);
	err_set_callback(sphinx_silent, NULL);
}

static void sphinx_quiet(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, sphinx_quiet_once);
}

/* Fills paths[] with the three model files; errors name the first missing. */
static int model_files(const char *dir, char *paths[3], struct sbuf *err)
{
	static const char *const names[3] = { "en-us", "en-us.lm.bin", "cmudict-en-us.dict" };

	for (int i = 0; i < 3; i++)
		paths[i] = fs_join(dir, names[i]);
	for (int i = 0; i < 3; i++) {
		char *probe = i ? pc_strdup(paths[i]) : fs_join(paths[0], "mdef");
		bool ok = fs_exists(probe) && (i || fs_is_dir(paths[0]));

		free(probe);
		if (!ok) {
			sbuf_addf(err, "speech model '%s' is missing (asr_model_dir '%s'): "
				  "install the Debian package pocketsphinx-en-us or set "
				  "asr_model_dir", paths[i], dir);
			return -PC_ENOTFOUND;
		}
	}
	return 0;
}

/*
 * Ours, then o->decoder_args (later flags win).  -wip and -lw were chosen by
 * a sweep on the bench's tune half (bench/asr/sweep.sh, docs/BENCHMARKS.md);
 * -lw weights the first pass only, the final words keep pocketsphinx's
 * -fwdflatlw and -bestpathlw.  The beams stay pocketsphinx's.
 */
static cmd_ln_t *decoder_config(char *paths[3], const struct asr_options *o)
{
	static const char *const ours[] = {
		"-remove_silence", "no", "-dither", "no", "-wip", "0.2",
		"-lw", "5.5",
	};
	size_t n = 7 + ARRAY_SIZE(ours) + o->ndecoder_args;
	const char **argv = pc_calloc(n + 1, sizeof(*argv));
	size_t k = 0;
	cmd_ln_t *c;

	argv[k++] = "podcast_scraper";   /* the parser skips a program name */
	argv[k++] = "-hmm";
	argv[k++] = paths[0];
	argv[k++] = "-lm";
	argv[k++] = paths[1];
	argv[k++] = "-dict";
	argv[k++] = paths[2];
	for (size_t i = 0; i < ARRAY_SIZE(ours); i++)
		argv[k++] = ours[i];
	for (size_t i = 0; i < o->ndecoder_args; i++)
		argv[k++] = o->decoder_args[i];
	c = cmd_ln_parse_r(NULL, ps_args(), (int32)k, (char **)argv, FALSE);
	free(argv);
	return c;
}

static int psx_open(void **inst, const struct asr_options *o, struct sbuf *err)
{
	const char *dir = o->model_dir ? o->model_dir : ASR_DEFAULT_MODEL_DIR;
	char *paths[3] = { NULL, NULL, NULL };
	struct psx *x = pc_calloc(1, sizeof(*x));
	int rc;

	sphinx_quiet();
	rc = model_files(dir, paths, err);
	if (!rc) {
		x->config = decoder_config(paths, o);
		x->ps = x->config ? ps_init(x->config) : NULL;
		if (!x->ps) {
			sbuf_addf(err, "speech model in '%s' could not be loaded "
				  "(damaged or of another version)", dir);
			rc = -PC_EFAIL;
		}
	}
	for (int i = 0; i < 3; i++)
		free(paths[i]);
	if (rc) {
		if (x->config)
			cmd_ln_free_r(x->config);
		free(x);
		return rc;
	}
	x->general = ngram_model_retain(ps_get_lm(x->ps, DEFAULT_SEARCH));
	x->weight = (float32)(o->context_weight > 0 && o->context_weight < 1
			      ? o->context_weight : ASR_DEFAULT_CONTEXT_WEIGHT);
	*inst = x;
	return 0;
}

static void psx_close(void *inst)
{
	struct psx *x = inst;

	if (!x)
		return;
	ps_free(x->ps);
	ngram_model_free(x->general);
	cmd_ln_free_r(x->config);
	free(x);
}

static bool psx_lookup(void *inst, const char *word, struct sbuf *phones)
{
	struct psx *x = inst;
	char *p = ps_lookup_word(x->ps, word);

	if (!p)
		return false;
	if (phones)
		sbuf_adds(phones, p);
	free(p);
	return true;
}

/*
 * ps_add_word() also appends the word to the model of every n-gram search,
 * and sphinxbase's trie cannot take words once built: a word id past the
 * packaged model's vocabulary sends the trie's interpolation search far
 * beyond its arrays (a SIGSEGV when that lands on an unmapped page, wrong
 * scores otherwise).  So words go into the dictionary only, with the n-gram
 * search set aside; their language model is the show's (names ride in the
 * show text), built afresh after.  The general model survives in x->general.
 */
static int dict_add(struct psx *x, const char *word, const char *phones)
{
	if (!x->detached) {
		ps_unset_search(x->ps, DEFAULT_SEARCH);
		x->detached = true;
	}
	return ps_add_word(x->ps, word, phones, FALSE) < 0 ? -1 : 0;
}

/* Teaches the dictionary the words it lacks (no language model change). */
static int add_unknown(struct psx *x, const char *const *words, size_t n,
		       struct sbuf *err)
{
	struct sbuf phones = SBUF_INIT(4096);
	int rc = 0;

	for (size_t i = 0; i < n && !rc; i++) {
		sbuf_reset(&phones);
		if (psx_lookup(x, words[i], NULL))
			continue;
		if (asr_g2p(words[i], &phones) < 0) {
			log_debug("asr", "no pronunciation for '%s'; skipped", words[i]);
			continue;
		}
		if (dict_add(x, words[i], phones.buf) < 0) {
			sbuf_addf(err, "speech engine pocketsphinx: cannot add the word "
				  "'%s' (%s)", words[i], phones.buf);
			rc = -PC_EFAIL;
		}
	}
	sbuf_release(&phones);
	return rc;
}

static int psx_add_words(void *inst, const char *const *words, size_t n,
			 struct sbuf *err)
{
	return add_unknown(inst, words, n, err);
}

/* Makes lm the recognizer's model (the search is rebuilt around it). */
static int use_lm(struct psx *x, ngram_model_t *lm, struct sbuf *err)
{
	if (ps_set_lm(x->ps, DEFAULT_SEARCH, lm) < 0 ||
	    ps_set_search(x->ps, DEFAULT_SEARCH) < 0) {
		sbuf_addf(err, "speech engine pocketsphinx: cannot switch language models");
		return -PC_EFAIL;
	}
	x->detached = false;
	return 0;
}

/* The general model interpolated with the show's (read from arpa_path). */
static ngram_model_t *show_model(struct psx *x, const char *arpa_path, struct sbuf *err)
{
	char *names[2] = { "general", "show" };
	float32 weights[2] = { 1.0f - x->weight, x->weight };
	ngram_model_t *lms[2] = { x->general, NULL };
	ngram_model_t *set;

	lms[1] = ngram_model_read(x->config, arpa_path, NGRAM_ARPA, ps_get_logmath(x->ps));
	if (!lms[1]) {
		sbuf_addf(err, "speech engine pocketsphinx: the show language model "
			  "'%s' could not be read", arpa_path);
		return NULL;
	}
	/* the set holds references of its own */
	set = ngram_model_set_init(x->config, lms, names, weights, 2);
	ngram_model_free(lms[1]);
	if (!set)
		sbuf_addf(err, "speech engine pocketsphinx: cannot interpolate the show "
			  "language model");
	return set;
}

static int psx_set_context(void *inst, const char *arpa_path, const struct strlist *words,
			   struct sbuf *err)
{
	struct psx *x = inst;
	ngram_model_t *set;
	int rc = 0;

	if (!arpa_path) {
		rc = x->show || x->detached ? use_lm(x, x->general, err) : 0;
		x->show = false;
		return rc;
	}
	x->show = false;
	rc = add_unknown(x, (const char *const *)words->items, words->nr, err);
	set = rc ? NULL : show_model(x, arpa_path, err);
	if (!set)
		return rc ? rc : -PC_EFAIL;
	rc = use_lm(x, set, err);
	ngram_model_free(set);    /* the search holds its own reference */
	x->show = !rc;
	/*
	 * The old search's tens of MB go back to the system: without this the
	 * freed blocks stay in the heap and each show switch adds ~10-40 MB.
	 */
	malloc_trim(0);
	return rc;
}

/* "word(2)" -> "word"; fillers (<s>, [NOISE], +BREATH+) -> false. */
static bool clean_word(const char *w, struct sbuf *out)
{
	size_t n = strlen(w);

	if (!n || w[0] == '<' || w[0] == '[' || w[0] == '+')
		return false;
	if (w[n - 1] == ')' && strchr(w, '('))
		n = (size_t)(strchr(w, '(') - w);
	return n && sbuf_add(out, w, n) == 0;
}

static double frame_seconds(const struct audio_utterance *u, int frame, bool end)
{
	uint64_t off = (uint64_t)(frame < 0 ? 0 : frame) * SAMPLES_PER_FRAME;

	if (end)
		off += SAMPLES_PER_FRAME;
	if (off > u->n)
		off = u->n;
	if (end)
		return audio_timemap_seconds(&u->map, off ? off - 1 : 0) + 1.0 / AUDIO_RATE;
	return audio_timemap_seconds(&u->map, off < u->n ? off : u->n - 1);
}

/* Gives the last segment of out the text gathered for it. */
static void finish_segment(struct segment_list *out, struct sbuf *text)
{
	struct segment *s = &out->items[out->nr - 1];

	free(s->text);
	s->text = pc_strdup(text->buf);
	sbuf_reset(text);
}

/* Walks the best path, turning words into segments split at long gaps; each
 * segment keeps its words with their times. */
static void collect(struct psx *x, const struct audio_utterance *u,
		    struct segment_list *out)
{
	struct sbuf text = SBUF_INIT(TEXT_MAX), w = SBUF_INIT(1024);
	struct segment *seg;

	for (ps_seg_t *s = ps_seg_iter(x->ps); s; s = ps_seg_next(s)) {
		int sf, ef;
		double start, end;

		sbuf_reset(&w);
		if (!clean_word(ps_seg_word(s), &w))
			continue;
		ps_seg_frames(s, &sf, &ef);
		start = frame_seconds(u, sf, false);
		end = frame_seconds(u, ef, true);
		if (text.len && start - out->items[out->nr - 1].end > SEGMENT_GAP)
			finish_segment(out, &text);
		if (!text.len)
			segment_list_push(out, start, end, NULL, NULL);
		if (sbuf_addf(&text, "%s%s", text.len ? " " : "", w.buf) < 0)
			continue;
		seg = &out->items[out->nr - 1];
		seg->end = end;
		segment_add_word(seg, w.buf, start, end);
	}
	if (text.len)
		finish_segment(out, &text);
	sbuf_release(&text);
	sbuf_release(&w);
}

static int psx_transcribe(void *inst, const struct audio_utterance *u,
			  struct segment_list *out, struct sbuf *err)
{
	struct psx *x = inst;

	if (!u->n)
		return 0;
	if (x->detached && use_lm(x, x->general, err) < 0)
		return -PC_EFAIL;
	/* A fresh stream resets the noise estimate of -remove_noise. */
	if (ps_start_stream(x->ps) < 0 || ps_start_utt(x->ps) < 0 ||
	    ps_process_raw(x->ps, u->samples, u->n, FALSE, TRUE) < 0 ||
	    ps_end_utt(x->ps) < 0) {
		sbuf_addf(err, "speech engine pocketsphinx: decoding failed for the "
			  "utterance at %.2f s", u->start);
		return -PC_EFAIL;
	}
	collect(x, u, out);
	return 0;
}

const struct asr_backend asr_pocketsphinx = {
	.name = "pocketsphinx",
	.devices = ASR_DEVICE_CPU,
	/*
	 * Far below full_utt's hard limit of 15000 frames (it aborts past it);
	 * 15 s rather than 25 s also spreads continuous speech over more
	 * utterances for the threads, with no loss of accuracy measured.
	 */
	.max_utterance = 15.0,
	/* a decoder with a show's model, docs/BENCHMARKS.md: one by default */
	.instance_mb = 140.0,
	.open = psx_open,
	.add_words = psx_add_words,
	.set_context = psx_set_context,
	.lookup = psx_lookup,
	.transcribe = psx_transcribe,
	.close = psx_close,
};
