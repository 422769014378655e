/*
 * bench_summarize - times cleaning + TextRank summarization of a transcript
 * against a baseline measured in the same run: tokenizing and stemming the
 * same text once with libstemmer (the least any summarizer must do).
 *
 *	bench_summarize FILE [REPETITIONS] [MARKER]
 *
 * MARKER (default "zorblax") is a word only the sponsor reads of the
 * generated transcript contain; the summary must not contain it.
 */
#include "summarize/summarize.h"
#include "util/fs.h"
#include "util/timeutil.h"

#include <ctype.h>
#include <libstemmer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Lower-cases and stems every word; returns the number of words. */
static long tokenize_and_stem(struct sb_stemmer *st, const char *text)
{
	struct sbuf w = SBUF_INIT(SBUF_NOLIMIT);
	long n = 0;

	for (const char *p = text; *p;) {
		while (*p && !isalnum((unsigned char)*p))
			p++;
		if (!*p)
			break;
		sbuf_reset(&w);
		while (isalnum((unsigned char)*p) || *p == '\'')
			sbuf_addch(&w, tolower((unsigned char)*p++));
		if (sb_stemmer_stem(st, (const sb_symbol *)w.buf, (int)w.len))
			n++;
	}
	sbuf_release(&w);
	return n;
}

static double time_baseline(const char *text, int reps, long *words)
{
	struct sb_stemmer *st = sb_stemmer_new("english", NULL);
	double t0 = time_mono();

	for (int i = 0; i < reps; i++)
		*words = tokenize_and_stem(st, text);
	sb_stemmer_delete(st);
	return (time_mono() - t0) / reps;
}

static bool contains_nocase(const char *hay, const char *needle)
{
	return hay && strcasestr(hay, needle);
}

static bool mentions(const struct summary *s, const char *marker)
{
	if (contains_nocase(s->short_summary, marker))
		return true;
	for (size_t i = 0; i < s->key_points.nr; i++)
		if (contains_nocase(s->key_points.items[i], marker))
			return true;
	return false;
}

static int summarize_once(const char *text, struct summary *sum, double *clean_s)
{
	struct sbuf clean = SBUF_INIT(SBUF_NOLIMIT), err = SBUF_INIT(4096);
	struct summarize_options o = SUMMARIZE_OPTIONS_INIT;
	struct summarizer s = SUMMARIZER_INIT;
	double t0 = time_mono();
	int ret;

	summarize_clean(text, &clean);
	*clean_s += time_mono() - t0;
	ret = summarize_open(&s, "textrank", NULL, &err);
	if (!ret)
		ret = summarize_run(&s, clean.buf, &o, sum, &err);
	if (ret)
		fprintf(stderr, "bench_summarize: %s\n", err.buf);
	summarize_close(&s);
	sbuf_release(&clean);
	sbuf_release(&err);
	return ret;
}

int main(int argc, char **argv)
{
	struct sbuf text = SBUF_INIT(64 << 20), err = SBUF_INIT(4096);
	int reps = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 10;
	const char *marker = argc > 3 ? argv[3] : "zorblax";
	double base, t0, total, clean_s = 0;
	struct summary sum = SUMMARY_INIT;
	bool sponsor = false;
	long words = 0;

	if (argc < 2 || reps < 1 || fs_read_file(argv[1], &text, &err) < 0) {
		fprintf(stderr, "usage: bench_summarize FILE [REPETITIONS] [MARKER] %s\n", err.buf);
		return 2;
	}
	base = time_baseline(text.buf, reps, &words);
	t0 = time_mono();
	for (int i = 0; i < reps; i++) {
		summary_release(&sum);
		if (summarize_once(text.buf, &sum, &clean_s) < 0)
			return 1;
		sponsor |= mentions(&sum, marker);
	}
	total = (time_mono() - t0) / reps;
	printf("%s: %ld words, %d repetitions\n", argv[1], words, reps);
	printf("  baseline tokenize+stem : %8.2f ms\n", base * 1e3);
	printf("  clean + textrank       : %8.2f ms per summary (clean %.2f ms)  = %.1fx baseline\n",
	       total * 1e3, clean_s / reps * 1e3, total / base);
	printf("  summary: %ld words, %zu key points\n", sum.word_count, sum.key_points.nr);
	printf("  contains no sponsor read: %s\n", sponsor ? "NO (sponsor text found)" : "yes");
	summary_release(&sum);
	sbuf_release(&text);
	return sponsor ? 1 : 0;
}
