/*
 * The openai summarizer against the test server's /v1/chat/completions,
 * which answers with the first line of the text it got as the summary and
 * the next two as key points: one request for a short text, map-reduce
 * for a long one, tolerant reading of answers, speaker names in the
 * instructions, the server's errors (never the key) and retries.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "remote_fixture.h"
#include "summarize/summarize.h"
#include "util/sbuf.h"

#define LONG_WORDS 30000

static const char *const short_text =
	"Maya talks about sourdough bread.\n"
	"Flour with more protein gives a stronger dough.\n"
	"A cold night in the fridge slows the rise.\n"
	"Tom asks about ovens.\n"
	"Steam in the first minutes makes the crust.\n";

static int setup(void **state)
{
	(void)state;
	return rf_setup("remote_summarize");
}

static int teardown(void **state)
{
	(void)state;
	return rf_teardown();
}

static int run(const char *suffix, const char *key, const char *text,
	       const char *const *names, size_t n, struct summary *out, struct sbuf *err)
{
	struct summarize_config cfg = { rf_base(suffix), key, "gpt-test", 0.2, 20, 0, NULL };
	struct summarize_options o = SUMMARIZE_OPTIONS_INIT;
	struct summarizer s = SUMMARIZER_INIT;
	int rc;

	rf_mark();
	rc = summarize_open(&s, "openai", &cfg, err);
	if (rc)
		return rc;
	if (n)
		summarize_set_speakers(&s, names, n);
	rc = summarize_run(&s, text, &o, out, err);
	summarize_close(&s);
	return rc;
}

/* "Sentence <i> ..." lines of about 12 words until `words` words. */
static char *long_text(long words)
{
	static const char *const topics[] = { "bread", "ovens", "flour", "water",
					      "salt", "yeast", "timing", "shaping" };
	struct sbuf b = SBUF_INIT(SBUF_NOLIMIT);
	long n = 0;

	for (int i = 1; n < words; i++) {
		sbuf_addf(&b, "Sentence %d of the episode is about %s and why %s matters so much.\n",
			  i, topics[i % 8], topics[(i * 3) % 8]);
		n += 13;
	}
	return sbuf_detach(&b, NULL);
}

static void short_text_is_one_request(void **state)
{
	struct summary sum = SUMMARY_INIT;
	struct sbuf err = SBUF_INIT(4096);
	char *log;

	(void)state;
	assert_int_equal(run(NULL, RF_KEY, short_text, NULL, 0, &sum, &err), 0);
	assert_string_equal(sum.short_summary, "Maya talks about sourdough bread.");
	assert_int_equal(sum.key_points.nr, 2);
	assert_string_equal(sum.key_points.items[0],
			    "Flour with more protein gives a stronger dough.");
	assert_string_equal(sum.key_points.items[1], "A cold night in the fridge slows the rise.");
	assert_string_equal(sum.provider, "openai");
	assert_int_equal(sum.word_count, 5);
	assert_int_equal(sum.transcript_word_count, summarize_word_count(short_text));
	log = rf_requests();
	assert_int_equal(rf_count(log, "POST /v1/chat/completions - 200 auth=present",
				  "model=gpt-test"), 1);
	assert_int_equal(rf_count(log, "POST", NULL), 1);
	free(log);
	summary_release(&sum);
	sbuf_release(&err);
}

/* The number after "first=Sentence_" in a chat log line, or -1. */
static long first_sentence(const char *line)
{
	const char *f = strstr(line, "first=Sentence_");

	return f ? strtol(f + 15, NULL, 10) : -1;
}

static long words_of(const char *line)
{
	const char *w = strstr(line, "words=");

	return w ? strtol(w + 6, NULL, 10) : -1;
}

static void long_text_is_mapped_then_reduced(void **state)
{
	struct summary sum = SUMMARY_INIT;
	struct sbuf err = SBUF_INIT(4096);
	char *text = long_text(LONG_WORDS), *log, *line;
	long maps = 0, map_words = 0, prev = 0, last_first = -1, last_words = 0;

	(void)state;
	assert_int_equal(run(NULL, RF_KEY, text, NULL, 0, &sum, &err), 0);
	/* the reduce step saw the partial summaries in order: the first part's
	 * summary and key points are the transcript's first three sentences */
	assert_int_equal(strncmp(text, sum.short_summary, strlen(sum.short_summary)), 0);
	assert_int_equal(text[strlen(sum.short_summary)], '\n');
	assert_non_null(strstr(sum.short_summary, "Sentence 1 of"));
	assert_int_equal(sum.key_points.nr, 2);
	assert_non_null(strstr(text, sum.key_points.items[0]));
	assert_non_null(strstr(sum.key_points.items[0], "Sentence 2 of"));
	assert_non_null(strstr(sum.key_points.items[1], "Sentence 3 of"));
	assert_int_equal(sum.transcript_word_count, summarize_word_count(text));
	/* map requests read consecutive chunks; one reduce request comes last */
	log = rf_requests();
	for (line = strtok(log, "\n"); line; line = strtok(NULL, "\n")) {
		assert_non_null(strstr(line, " 200 auth=present"));
		if (last_first >= 0) {
			assert_true(last_first > prev);
			prev = last_first;
			map_words += last_words;
			maps++;
		}
		last_first = first_sentence(line);
		last_words = words_of(line);
	}
	assert_int_equal(last_first, 1);
	assert_true(maps >= LONG_WORDS / 3000);           /* ~3000 tokens a chunk */
	assert_true(map_words >= LONG_WORDS && map_words < LONG_WORDS * 6 / 5);
	free(log);
	free(text);
	summary_release(&sum);
	sbuf_release(&err);
}

static void speaker_names_are_in_the_instructions(void **state)
{
	static const char *const names[] = { "Maya Verbeek", "Tom Hall" };
	struct summary sum = SUMMARY_INIT;
	struct sbuf err = SBUF_INIT(4096);

	(void)state;
	assert_int_equal(run("?mode=prompt", RF_KEY, short_text, names, 2, &sum, &err), 0);
	assert_non_null(strstr(sum.short_summary, "The speakers are Maya Verbeek and Tom Hall;"));
	assert_non_null(strstr(sum.short_summary, "\"key_points\""));
	assert_non_null(strstr(sum.short_summary, "at most 5 sentences"));
	summary_release(&sum);
	sbuf_release(&err);
}

static void fenced_and_plain_answers_are_read(void **state)
{
	struct summary sum = SUMMARY_INIT;
	struct sbuf err = SBUF_INIT(4096);

	(void)state;
	assert_int_equal(run("?mode=fenced", RF_KEY, short_text, NULL, 0, &sum, &err), 0);
	assert_string_equal(sum.short_summary, "Maya talks about sourdough bread.");
	assert_int_equal(sum.key_points.nr, 2);
	summary_release(&sum);
	assert_int_equal(run("?mode=plain", RF_KEY, short_text, NULL, 0, &sum, &err), 0);
	assert_string_equal(sum.short_summary, "The episode covers bread.");
	assert_int_equal(sum.key_points.nr, 2);
	assert_string_equal(sum.key_points.items[0], "Flour matters.");
	assert_string_equal(sum.key_points.items[1], "Ovens vary.");
	assert_int_equal(sum.word_count, 4);
	summary_release(&sum);
	sbuf_release(&err);
}

static void no_key_sends_no_authorization(void **state)
{
	struct summary sum = SUMMARY_INIT;
	struct sbuf err = SBUF_INIT(4096);
	char *log;

	(void)state;
	assert_int_equal(run(NULL, NULL, short_text, NULL, 0, &sum, &err), 0);
	log = rf_requests();
	assert_int_equal(rf_count(log, " 200 auth=absent", NULL), 1);
	free(log);
	summary_release(&sum);
	sbuf_release(&err);
}

static void unauthorized_says_what_the_server_said(void **state)
{
	struct summary sum = SUMMARY_INIT;
	struct sbuf err = SBUF_INIT(4096);

	(void)state;
	assert_int_not_equal(run("?mode=error401", RF_KEY, short_text, NULL, 0, &sum, &err), 0);
	assert_non_null(strstr(err.buf, "chat server "));
	assert_non_null(strstr(err.buf, "/v1/chat/completions?mode=error401: HTTP 401: "
				      "Incorrect API key provided"));
	assert_null(strstr(err.buf, RF_KEY));
	assert_null(sum.short_summary);
	sbuf_release(&err);
}

static void server_errors_are_retried(void **state)
{
	struct summary sum = SUMMARY_INIT;
	struct sbuf err = SBUF_INIT(4096);
	char *log;

	(void)state;
	assert_int_equal(run("?fail=2", RF_KEY, short_text, NULL, 0, &sum, &err), 0);
	assert_string_equal(sum.short_summary, "Maya talks about sourdough bread.");
	log = rf_requests();
	assert_int_equal(rf_count(log, "/v1/chat/completions?fail=2 - 500", NULL), 2);
	assert_int_equal(rf_count(log, "/v1/chat/completions?fail=2 - 200", NULL), 1);
	free(log);
	summary_release(&sum);
	sbuf_release(&err);
}

static void key_is_in_no_log(void **state)
{
	char *log;

	(void)state;
	rf.mark = 0;
	log = rf_requests();
	assert_true(rf_count(log, "auth=present", NULL) >= 5);
	assert_null(strstr(log, RF_KEY));
	assert_true(rf_file_has(rf.log_file, "openai"));
	assert_false(rf_file_has(rf.log_file, RF_KEY));
	free(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(short_text_is_one_request),
		cmocka_unit_test(long_text_is_mapped_then_reduced),
		cmocka_unit_test(speaker_names_are_in_the_instructions),
		cmocka_unit_test(fenced_and_plain_answers_are_read),
		cmocka_unit_test(no_key_sends_no_authorization),
		cmocka_unit_test(unauthorized_says_what_the_server_said),
		cmocka_unit_test(server_errors_are_retried),
		cmocka_unit_test(key_is_in_no_log),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
