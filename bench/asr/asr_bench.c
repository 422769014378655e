/*
 * asr_bench - helper for bench/asr/run.sh (not part of the test suite).
 *
 *   asr_bench concat OUT.wav GAP_S IN...      IN files, GAP_S of silence between
 *   asr_bench repeat OUT.wav MINUTES IN       IN repeated to MINUTES long
 *   asr_bench transcribe FILE [-w N] [-n] [-o HYP]
 *                                             our engine; -n: no preprocessing
 *   asr_bench wer REF.txt HYP.txt             word error rate, in percent
 *   asr_bench errors REF.txt HYP.txt          "errors reference_words"
 *   asr_bench batch LIST [-w N] [-p PASSES] [-W WEIGHT] [-x FLAG VALUE]...
 *                   [-v VAD_SETTING=VALUE]...
 *                                             one engine for many files; LIST
 *                                             lines: WAV CONTEXT|- HYP (the
 *                                             show text for asr_set_context);
 *                                             VAD settings: min_silence,
 *                                             min_speech, padding,
 *                                             threshold_db, floor_db
 *
 * transcribe prints one line of key=value numbers (see print_stats).
 */
#include "benchlib.h"

#include "asr/asr.h"
#include "audio/audio.h"
#include "transcript/transcript.h"
#include "util/fs.h"
#include "util/sbuf.h"
#include "util/strlist.h"
#include "util/timeutil.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmd_concat(int argc, char **argv)
{
	struct bench_pcm all = { 0 };
	size_t gap = (size_t)(atof(argv[3]) * AUDIO_RATE);
	FILE *f;

	for (int i = 4; i < argc; i++) {
		if (bench_pcm_load(argv[i], &all))
			return 1;
		PC_GROW(all.s, all.alloc, all.n + gap);
		memset(all.s + all.n, 0, gap * sizeof(*all.s));
		all.n += gap;
	}
	f = bench_wav_open(argv[2], all.n);
	if (!f || fwrite(all.s, 2, all.n, f) != all.n || fclose(f))
		return 1;
	free(all.s);
	return 0;
}

static int cmd_repeat(char **argv)
{
	struct bench_pcm one = { 0 };
	uint64_t want = (uint64_t)(atof(argv[3]) * 60 * AUDIO_RATE), done = 0;
	FILE *f;

	if (bench_pcm_load(argv[4], &one) || !one.n)
		return 1;
	f = bench_wav_open(argv[2], want);
	while (f && done < want) {
		size_t n = want - done < one.n ? (size_t)(want - done) : one.n;

		if (fwrite(one.s, 2, n, f) != n)
			return 1;
		done += n;
	}
	free(one.s);
	return f && !fclose(f) ? 0 : 1;
}

static void print_stats(const struct asr_stats *st, double open_s)
{
	printf("audio_s=%.1f wall_s=%.2f open_s=%.2f rtf=%.4f cpu_s=%.2f decode_s=%.2f "
	       "recognize_s=%.2f utterances=%zu speech_s=%.1f workers=%d peak_rss_mb=%.0f\n",
	       st->audio_seconds, st->wall_seconds + open_s, open_s,
	       (st->wall_seconds + open_s) / st->audio_seconds, bench_cpu_seconds(),
	       st->decode_seconds, st->recognize_seconds, st->utterances,
	       st->speech_seconds, st->workers, bench_peak_rss_mb());
}

static int cmd_transcribe(int argc, char **argv)
{
	struct asr_options o = ASR_OPTIONS_INIT;
	struct sbuf err = SBUF_INIT(4096);
	struct segment_list l = SEGMENT_LIST_INIT;
	struct asr_engine *e;
	struct asr_stats st;
	const char *hyp = NULL;
	double t0 = time_mono(), open_s;
	FILE *f;

	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "-w") && i + 1 < argc)
			o.workers = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-n"))
			o.preprocess = false;
		else if (!strcmp(argv[i], "-o") && i + 1 < argc)
			hyp = argv[++i];
	}
	if (asr_engine_open(&e, &o, &err) ||
	    (open_s = time_mono() - t0, asr_engine_transcribe(e, argv[2], &o, &l, &st, &err))) {
		fprintf(stderr, "asr_bench: %s\n", err.buf);
		return 1;
	}
	asr_engine_close(e);
	print_stats(&st, open_s);
	f = hyp ? fopen(hyp, "w") : NULL;
	for (size_t i = 0; f && i < l.nr; i++)
		fprintf(f, "%s\n", l.items[i].text);
	if (f)
		fclose(f);
	segment_list_release(&l);
	sbuf_release(&err);
	return 0;
}

/* ---- WER ------------------------------------------------------------------ */

struct words {
	char **w;
	size_t n, alloc;
};

/* Lower case, letters, digits and apostrophes; everything else splits. */
static int read_words(const char *path, struct words *out)
{
	FILE *f = fopen(path, "r");
	struct sbuf cur = SBUF_INIT(1024);
	int c;

	if (!f)
		return -1;
	do {
		c = fgetc(f);
		if (c != EOF && (isalnum(c) || c == '\'')) {
			sbuf_addch(&cur, tolower(c));
			continue;
		}
		if (cur.len) {
			PC_GROW(out->w, out->alloc, out->n + 1);
			out->w[out->n++] = sbuf_detach(&cur, NULL);
		}
	} while (c != EOF);
	fclose(f);
	sbuf_release(&cur);
	return 0;
}

static size_t edit_distance(const struct words *r, const struct words *h)
{
	size_t *prev = pc_calloc(h->n + 1, sizeof(*prev));
	size_t *cur = pc_calloc(h->n + 1, sizeof(*cur));
	size_t d;

	for (size_t j = 0; j <= h->n; j++)
		prev[j] = j;
	for (size_t i = 1; i <= r->n; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= h->n; j++) {
			size_t best = prev[j - 1] + (strcmp(r->w[i - 1], h->w[j - 1]) != 0);

			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			cur[j] = best;
		}
		memcpy(prev, cur, (h->n + 1) * sizeof(*cur));
	}
	d = prev[h->n];
	free(prev);
	free(cur);
	return d;
}

static int cmd_wer(char **argv)
{
	struct words r = { 0 }, h = { 0 };

	if (read_words(argv[2], &r) || read_words(argv[3], &h) || !r.n)
		return 1;
	printf("%.1f\n", 100.0 * (double)edit_distance(&r, &h) / (double)r.n);
	return 0;
}

static int cmd_errors(char **argv)
{
	struct words r = { 0 }, h = { 0 };

	if (read_words(argv[2], &r) || read_words(argv[3], &h) || !r.n)
		return 1;
	printf("%zu %zu\n", edit_distance(&r, &h), r.n);
	return 0;
}

static int write_hyp(const char *path, const struct segment_list *l)
{
	FILE *f = fopen(path, "w");

	for (size_t i = 0; f && i < l->nr; i++)
		fprintf(f, "%s\n", l->items[i].text);
	return f && !fclose(f) ? 0 : -1;
}

/* One list line: set the context, transcribe, write the words. */
static int batch_one(struct asr_engine *e, const struct asr_options *o, char *line,
		     double *audio, double *ctx_s, struct sbuf *err)
{
	char *wav = strtok(line, " \t\n"), *ctx = strtok(NULL, " \t\n");
	char *hyp = strtok(NULL, " \t\n");
	struct sbuf text = SBUF_INIT(SBUF_NOLIMIT);
	struct segment_list l = SEGMENT_LIST_INIT;
	struct asr_stats st;
	double t0 = time_mono();
	int rc;

	if (!wav || !ctx || !hyp)
		return 0;
	rc = strcmp(ctx, "-") ? fs_read_file(ctx, &text, err) : 0;
	if (!rc)
		rc = asr_set_context(e, text.len ? text.buf : NULL, err);
	*ctx_s += time_mono() - t0;
	if (!rc)
		rc = asr_engine_transcribe(e, wav, o, &l, &st, err);
	if (!rc) {
		*audio += st.audio_seconds;
		rc = write_hyp(hyp, &l);
	}
	segment_list_release(&l);
	sbuf_release(&text);
	return rc;
}

/* "name=value" -> the VAD setting; false for an unknown name. */
static bool vad_set(struct audio_vad_options *v, const char *arg)
{
	static const struct { const char *name; size_t off; } knobs[] = {
		{ "min_silence", offsetof(struct audio_vad_options, min_silence) },
		{ "min_speech", offsetof(struct audio_vad_options, min_speech) },
		{ "padding", offsetof(struct audio_vad_options, padding) },
		{ "threshold_db", offsetof(struct audio_vad_options, threshold_db) },
		{ "floor_db", offsetof(struct audio_vad_options, floor_db) },
	};
	const char *eq = strchr(arg, '=');

	for (size_t i = 0; eq && i < sizeof(knobs) / sizeof(knobs[0]); i++) {
		if (strlen(knobs[i].name) == (size_t)(eq - arg) &&
		    !strncmp(arg, knobs[i].name, (size_t)(eq - arg))) {
			*(double *)((char *)v + knobs[i].off) = atof(eq + 1);
			return true;
		}
	}
	return false;
}

static void batch_args(int argc, char **argv, struct asr_options *o, struct strlist *x,
		       struct audio_vad_options *vad)
{
	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "-v") && i + 1 < argc) {
			if (!vad_set(vad, argv[++i]))
				fprintf(stderr, "asr_bench: unknown VAD setting '%s'\n", argv[i]);
			o->vad = vad;
			continue;
		}
		if (!strcmp(argv[i], "-w") && i + 1 < argc)
			o->workers = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-p") && i + 1 < argc)
			o->passes = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-W") && i + 1 < argc)
			o->context_weight = atof(argv[++i]);
		else if (!strcmp(argv[i], "-x") && i + 2 < argc) {
			strlist_push(x, argv[++i]);
			strlist_push(x, argv[++i]);
		}
	}
	o->decoder_args = (const char *const *)x->items;
	o->ndecoder_args = x->nr;
}

static int cmd_batch(int argc, char **argv)
{
	struct asr_options o = ASR_OPTIONS_INIT;
	struct audio_vad_options vad = ASR_VAD_OPTIONS_INIT;
	struct strlist x = STRLIST_INIT;
	struct sbuf err = SBUF_INIT(4096);
	struct asr_engine *e = NULL;
	double t0 = time_mono(), open_s = 0, audio = 0, ctx_s = 0;
	char line[4096];
	FILE *list = fopen(argv[2], "r");
	int rc = list ? 0 : 1;

	batch_args(argc, argv, &o, &x, &vad);
	if (!rc && asr_engine_open(&e, &o, &err))
		rc = 1;
	open_s = time_mono() - t0;
	while (!rc && fgets(line, sizeof(line), list))
		rc = batch_one(e, &o, line, &audio, &ctx_s, &err);
	if (rc)
		fprintf(stderr, "asr_bench: %s\n", err.buf);
	else
		printf("audio_s=%.1f wall_s=%.2f open_s=%.2f context_s=%.2f cpu_s=%.2f "
		       "peak_rss_mb=%.0f\n", audio, time_mono() - t0, open_s, ctx_s,
		       bench_cpu_seconds(), bench_peak_rss_mb());
	asr_engine_close(e);
	if (list)
		fclose(list);
	strlist_release(&x);
	sbuf_release(&err);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc >= 5 && !strcmp(argv[1], "concat"))
		return cmd_concat(argc, argv);
	if (argc == 5 && !strcmp(argv[1], "repeat"))
		return cmd_repeat(argv);
	if (argc >= 3 && !strcmp(argv[1], "transcribe"))
		return cmd_transcribe(argc, argv);
	if (argc == 4 && !strcmp(argv[1], "wer"))
		return cmd_wer(argv);
	if (argc == 4 && !strcmp(argv[1], "errors"))
		return cmd_errors(argv);
	if (argc >= 3 && !strcmp(argv[1], "batch"))
		return cmd_batch(argc, argv);
	fprintf(stderr, "usage: see the comment at the top of bench/asr/asr_bench.c\n");
	return 2;
}
