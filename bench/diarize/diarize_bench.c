/*
 * diarize_bench.c - helper for bench/diarize/run.sh (not part of the suite).
 *
 *   diarize_bench mix OUT.wav OUT.ref GAPS SPEC...
 *       SPEC is VOICE=FILE.wav; the files are joined in order with the
 *       gaps (seconds, cycled from the comma list GAPS) of low noise
 *       between them; OUT.ref gets one "start end VOICE" line per file,
 *       from its first to its last audible sample.
 *   diarize_bench diarize FILE [HINT]   turns ("start end SPEAKER_n") to
 *       stdout, then a line "# speakers=N seconds=S audio=A"
 *   diarize_bench asr FILE              "# seconds=S" of recognition
 *       (pocketsphinx, 2 decoder threads, models loaded beforehand)
 *   diarize_bench der REF HYP           "der=% missed=% fa=% confusion=%
 *       ref_speakers=N hyp_speakers=M" with the optimal one-to-one mapping
 *       and no collar, on a 10 ms grid
 */
#include "benchlib.h"

#include "asr/asr.h"
#include "audio/audio.h"
#include "diarize/diarize.h"
#include "transcript/transcript.h"
#include "util/sbuf.h"
#include "util/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXSPK 16
#define AUDIBLE 200   /* |sample| above this is audible in a flite file */

static void add_noise(struct bench_pcm *p, double seconds, unsigned *seed)
{
	size_t n = (size_t)(seconds * AUDIO_RATE);

	PC_GROW(p->s, p->alloc, p->n + n);
	for (size_t i = 0; i < n; i++) {
		*seed = *seed * 1103515245u + 12345u;
		p->s[p->n++] = (int16_t)((int)((*seed >> 16) % 17) - 8);
	}
}

static int cmd_mix(int argc, char **argv)
{
	struct bench_pcm all = { 0 };
	double gaps[64];
	int ngaps = 0;
	unsigned seed = 1;
	char *g = argv[4];
	FILE *ref = fopen(argv[3], "w");

	while (g && *g && ngaps < 64) {
		gaps[ngaps++] = strtod(g, &g);
		if (*g == ',')
			g++;
	}
	if (!ref || !ngaps)
		return 1;
	add_noise(&all, 0.5, &seed);
	for (int i = 5; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		struct bench_pcm one = { 0 };
		size_t a = 0, b;

		if (!eq || bench_pcm_load(eq + 1, &one))
			return 1;
		*eq = '\0';
		b = one.n;
		while (a < one.n && abs(one.s[a]) < AUDIBLE)
			a++;
		while (b > a && abs(one.s[b - 1]) < AUDIBLE)
			b--;
		fprintf(ref, "%.3f %.3f %s\n", (double)(all.n + a) / AUDIO_RATE,
			(double)(all.n + b) / AUDIO_RATE, argv[i]);
		PC_GROW(all.s, all.alloc, all.n + one.n);
		memcpy(all.s + all.n, one.s, one.n * 2);
		all.n += one.n;
		free(one.s);
		add_noise(&all, gaps[(i - 5) % ngaps], &seed);
	}
	fclose(ref);
	return bench_wav_write(argv[2], &all);
}

static int cmd_diarize(int argc, char **argv)
{
	struct diarize_options o = DIARIZE_OPTIONS_INIT;
	struct diarize_result r = DIARIZE_RESULT_INIT;
	struct diarize_stats st;
	struct sbuf err = SBUF_INIT(4096);

	if (argc > 3)
		o.num_speakers = (int)strtol(argv[3], NULL, 10);
	if (getenv("DZ_PENALTY"))
		o.penalty = strtod(getenv("DZ_PENALTY"), NULL);
	if (getenv("DZ_CHANGE"))
		o.change_penalty = strtod(getenv("DZ_CHANGE"), NULL);
	if (getenv("DZ_NORESEG"))
		o.resegment = false;
	if (diarize_file(argv[2], &o, &r, &st, &err)) {
		fprintf(stderr, "%s\n", err.buf);
		return 1;
	}
	for (size_t i = 0; i < r.nr; i++)
		printf("%.3f %.3f SPEAKER_%d\n", r.turns[i].start, r.turns[i].end,
		       r.turns[i].speaker);
	printf("# speakers=%d seconds=%.3f audio=%.1f segments=%zu\n", r.speakers, st.seconds,
	       st.audio_seconds, st.segments);
	diarize_result_release(&r);
	sbuf_release(&err);
	return 0;
}

static int cmd_asr(char **argv)
{
	struct asr_options o = ASR_OPTIONS_INIT;
	struct segment_list segs = SEGMENT_LIST_INIT;
	struct sbuf err = SBUF_INIT(4096);
	struct asr_engine *e;
	double t0;

	o.workers = 2;
	if (asr_engine_open(&e, &o, &err)) {
		fprintf(stderr, "%s\n", err.buf);
		return 1;
	}
	t0 = time_mono();
	if (asr_engine_transcribe(e, argv[2], &o, &segs, NULL, &err)) {
		fprintf(stderr, "%s\n", err.buf);
		return 1;
	}
	printf("# seconds=%.3f\n", time_mono() - t0);
	asr_engine_close(e);
	segment_list_release(&segs);
	return 0;
}

/* ---- DER ----------------------------------------------------------------- */

struct labels {
	char names[MAXSPK][64];
	int n;
	short *grid;        /* label index + 1 per 10 ms, 0 = none */
	size_t len;
};

static int label_id(struct labels *l, const char *name)
{
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->names[i], name))
			return i;
	if (l->n == MAXSPK)
		return MAXSPK - 1;
	snprintf(l->names[l->n], sizeof(l->names[0]), "%s", name);
	return l->n++;
}

static int read_turns(const char *path, struct labels *l, size_t len)
{
	FILE *f = fopen(path, "r");
	char line[256], name[64];
	double a, b;

	if (!f)
		return 1;
	l->grid = calloc(len, sizeof(*l->grid));
	l->len = len;
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || sscanf(line, "%lf %lf %63s", &a, &b, name) != 3)
			continue;
		int id = label_id(l, name);

		for (size_t t = (size_t)(a * 100 + 0.5); t < (size_t)(b * 100 + 0.5) && t < len;
		     t++)
			l->grid[t] = (short)(id + 1);
	}
	fclose(f);
	return 0;
}

static double best_match(double ov[MAXSPK][MAXSPK], int h, int nh, int nr, bool *used)
{
	double best = 0;

	if (h == nh)
		return 0;
	best = best_match(ov, h + 1, nh, nr, used);   /* h unmapped */
	for (int r = 0; r < nr; r++) {
		if (used[r])
			continue;
		used[r] = true;
		double v = ov[h][r] + best_match(ov, h + 1, nh, nr, used);
		used[r] = false;
		if (v > best)
			best = v;
	}
	return best;
}

static int cmd_der(char **argv)
{
	struct labels ref = { 0 }, hyp = { 0 };
	double ov[MAXSPK][MAXSPK] = { { 0 } }, speech = 0, miss = 0, fa = 0, both = 0;
	bool used[MAXSPK] = { 0 };
	size_t len = 100 * 60 * 60 * 4;

	if (read_turns(argv[2], &ref, len) || read_turns(argv[3], &hyp, len))
		return 1;
	for (size_t t = 0; t < len; t++) {
		int r = ref.grid[t], h = hyp.grid[t];

		speech += r != 0;
		miss += r && !h;
		fa += h && !r;
		both += r && h;
		if (r && h)
			ov[h - 1][r - 1] += 1;
	}
	double matched = best_match(ov, 0, hyp.n, ref.n, used);
	double conf = both - matched;

	printf("der=%.2f missed=%.2f fa=%.2f confusion=%.2f ref_speakers=%d hyp_speakers=%d"
	       " speech=%.2f error=%.2f\n", 100 * (miss + fa + conf) / speech,
	       100 * miss / speech, 100 * fa / speech, 100 * conf / speech, ref.n, hyp.n,
	       speech / 100, (miss + fa + conf) / 100);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 6 && !strcmp(argv[1], "mix"))
		return cmd_mix(argc, argv);
	if (argc >= 3 && !strcmp(argv[1], "diarize"))
		return cmd_diarize(argc, argv);
	if (argc >= 3 && !strcmp(argv[1], "asr"))
		return cmd_asr(argv);
	if (argc >= 4 && !strcmp(argv[1], "der"))
		return cmd_der(argv);
	fprintf(stderr, "usage: see the comment at the top of diarize_bench.c\n");
	return 2;
}
