/* Unit tests for transcript cleaning, sentence splitting and TextRank. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "summarize/summarize.h"
#include "transcript/transcript.h"

static char *clean(const char *text)
{
	struct sbuf out = SBUF_INIT(1 << 20);

	assert_int_equal(summarize_clean(text, &out), 0);
	return sbuf_detach(&out, NULL);
}

static void assert_clean(const char *text, const char *want)
{
	char *got = clean(text);

	assert_string_equal(got, want);
	free(got);
}

/* ---- cleaning ------------------------------------------------------------- */

static void clean_removes_timestamps(void **state)
{
	(void)state;
	assert_clean("[00:01] Hello there. (1:02:03) It works.\n00:01:02 Next line here.\n"
		     "01:15 Bare minutes at the start go too.",
		     "Hello there.\nIt works.\nNext line here.\nBare minutes at the start go too.\n");
	/* A clock time inside a sentence is speech, not a timestamp. */
	assert_clean("We met at 3:30 in the lobby.", "We met at 3:30 in the lobby.\n");
}

static void clean_removes_speaker_labels(void **state)
{
	(void)state;
	assert_clean("Jane Doe: Hello there.\nSPEAKER 1: Hi Jane.\nHOST: Let's begin.\n"
		     "[00:00:05] Dr. Ana Lima: Thanks.",
		     "Hello there.\nHi Jane.\nLet's begin.\nThanks.\n");
	assert_clean("Note: this line keeps its first word.",
		     "Note: this line keeps its first word.\n");
}

static void clean_removes_filler_and_repeats(void **state)
{
	(void)state;
	assert_clean("Um, so we, like, built it.\nIt was, you know, uh, really the the best thing.",
		     "so we built it.\nIt was really the best thing.\n");
	assert_clean("I I think that that is, um.", "I think that that is.\n");
	/* Only "you know," and "like," with a comma are filler. */
	assert_clean("You know what I like about parsers? Speed.",
		     "You know what I like about parsers?\nSpeed.\n");
}

static void clean_removes_sponsor_reads(void **state)
{
	(void)state;
	assert_clean("We talk about compilers today. This episode is brought to you by Acme. "
		     "Acme makes widgets for every team. Go to acme.com/pod for a discount. "
		     "Back to compilers now.",
		     "We talk about compilers today.\nBack to compilers now.\n");
	assert_clean("Parsers matter. Use code PARSE for twenty percent off. "
		     "We use code review for every change.",
		     "Parsers matter.\nWe use code review for every change.\n");
	assert_clean("so the lexer comes first and reads every character\n"
		     "this show is sponsored by acme go to acme dot com slash pod\n"
		     "then the parser builds a tree from the tokens",
		     "so the lexer comes first and reads every character\n"
		     "then the parser builds a tree from the tokens\n");
}

static void clean_removes_intros_and_outros(void **state)
{
	(void)state;
	assert_clean("Welcome to the show. Parsers are fun. Thanks for listening! "
		     "Please subscribe and rate and review. See you next time.",
		     "Parsers are fun.\n");
	assert_clean("", "");
	assert_clean("   \n\n  ", "");
}

static void clean_segments_breaks_on_pauses(void **state)
{
	struct segment segs[] = {
		{ .start = 0.0, .end = 3.0, .text = "we started the project last spring" },
		{ .start = 3.1, .end = 4.0, .text = "with um two people" },
		{ .start = 5.5, .end = 8.0, .speaker = "Jane",
		  .text = "the funding came later in the fall" },
	};
	struct segment_list l = { segs, ARRAY_SIZE(segs), ARRAY_SIZE(segs) };
	struct sbuf out = SBUF_INIT(4096);

	(void)state;
	assert_int_equal(summarize_clean_segments(&l, &out), 0);
	assert_string_equal(out.buf, "we started the project last spring with two people\n"
				     "the funding came later in the fall\n");
	sbuf_release(&out);
}

static void clean_respects_output_cap(void **state)
{
	struct sbuf out = SBUF_INIT(20);

	(void)state;
	assert_int_equal(summarize_clean("First sentence is here. Second one is longer.", &out),
			 -PC_ETOOBIG);
	assert_string_equal(out.buf, "");
	sbuf_release(&out);
}

/* ---- sentences ------------------------------------------------------------ */

static void split_punctuated_with_abbreviations(void **state)
{
	static const char *const want[] = {
		"Dr. Smith went to Washington.",
		"He met Mr. Jones at 3.5 p.m. sharp.",
		"The U.S. economy grew, e.g. in tech.",
		"Really?",
		"\"Yes!\"",
		"J. R. R. Tolkien wrote it in 1937.",
	};
	struct strlist got = STRLIST_INIT;

	(void)state;
	summarize_split_sentences("Dr. Smith went to Washington. He met Mr. Jones at 3.5 p.m. "
				  "sharp.\nThe U.S. economy grew, e.g. in tech. Really? \"Yes!\" "
				  "J. R. R. Tolkien wrote it in 1937.", &got);
	assert_int_equal(got.nr, ARRAY_SIZE(want));
	for (size_t i = 0; i < got.nr; i++)
		assert_string_equal(got.items[i], want[i]);
	strlist_release(&got);
}

static size_t words_in(const char *s)
{
	return (size_t)summarize_word_count(s);
}

static void split_unpunctuated_speech(void **state)
{
	static const char *const words[] = {
		"we", "looked", "at", "the", "parser", "again", "and", "it", "still", "felt",
		"slow", "on", "large", "files", "because", "every", "token", "was", "copied",
		"twice",
	};
	struct sbuf text = SBUF_INIT(SBUF_NOLIMIT), joined = SBUF_INIT(SBUF_NOLIMIT);
	struct strlist got = STRLIST_INIT;
	size_t so_breaks = 0;

	(void)state;
	for (int i = 0; i < 300; i++) {
		/* A discourse word now and then, like real speech. */
		if (i % 23 == 22)
			sbuf_adds(&text, "so ");
		sbuf_addf(&text, "%s ", words[(i * 7) % ARRAY_SIZE(words)]);
	}
	summarize_split_sentences(text.buf, &got);
	assert_true(got.nr >= 300 / SUMMARIZE_MAX_WORDS);
	for (size_t i = 0; i < got.nr; i++) {
		size_t n = words_in(got.items[i]);
		assert_true(n >= 5);
		assert_true(n <= SUMMARIZE_MAX_WORDS + 5);
		/* Past the usual length, a sentence ends before "so". */
		if (i + 1 < got.nr && n > SUMMARIZE_MIN_WORDS && n < SUMMARIZE_MAX_WORDS)
			assert_memory_equal(got.items[i + 1], "so ", 3);
		so_breaks += n < SUMMARIZE_MAX_WORDS && i + 1 < got.nr;
		sbuf_addf(&joined, "%s ", got.items[i]);
	}
	assert_true(so_breaks > 0);
	/* Nothing lost, nothing added. */
	assert_string_equal(joined.buf, text.buf);
	strlist_release(&got);
	sbuf_release(&text);
	sbuf_release(&joined);
}

static void split_unpunctuated_lines(void **state)
{
	struct strlist got = STRLIST_INIT;

	(void)state;
	summarize_split_sentences("the lexer reads characters and groups them into tokens\n"
				  "then the parser\nbuilds a syntax tree out of those tokens for us",
				  &got);
	assert_int_equal(got.nr, 2);
	assert_string_equal(got.items[0], "the lexer reads characters and groups them into tokens");
	assert_string_equal(got.items[1], "then the parser builds a syntax tree out of those tokens for us");
	strlist_release(&got);
}

/* ---- summaries ------------------------------------------------------------ */

/* The same read three times, as ads often run: central if it were kept. */
#define SPONSOR_READ \
	"This episode is brought to you by Zorblax, the compiler toolkit for machine code.\n" \
	"Zorblax helps your compiler turn source code and syntax trees into fast machine code.\n" \
	"Go to zorblax dot com slash compilers and use code PARSER for ten percent off.\n"

static const char transcript[] =
	SPONSOR_READ
	"Jane: Welcome to the show, everyone.\n"
	"Today we talk about how compilers turn source code into fast machine code.\n"
	"A compiler first runs a lexer that splits the source code into tokens.\n"
	"The parser then builds a syntax tree from those tokens.\n"
	"Um, my cat likes to sleep on the keyboard.\n"
	"The type checker walks the syntax tree and rejects programs with type errors.\n"
	"Good error messages from the type checker save programmers hours.\n"
	SPONSOR_READ
	"After type checking, the compiler lowers the syntax tree to an intermediate representation.\n"
	"The optimizer rewrites the intermediate representation to make machine code fast.\n"
	"Inlining and loop unrolling are two optimizer passes that make code fast.\n"
	"The optimizer rewrites the intermediate representation to make machine code fast.\n"
	"The weather was sunny and warm at the beach yesterday afternoon.\n"
	"Register allocation maps the intermediate representation onto machine registers.\n"
	"Finally the code generator emits machine code for the target processor.\n"
	"Some compilers also run a linker that joins machine code from many files.\n"
	"We also had a big pepperoni pizza with extra cheese for lunch.\n"
	SPONSOR_READ
	"Thanks for listening, and please subscribe.\n";

struct run {
	char *cleaned;
	struct summary sum;
};

static void run_textrank(const char *text, int sentences, struct run *r)
{
	struct summarize_options o = SUMMARIZE_OPTIONS_INIT;
	struct summarizer s = SUMMARIZER_INIT;
	struct sbuf err = SBUF_INIT(1024);

	o.summary_sentences = sentences;
	r->cleaned = clean(text);
	memset(&r->sum, 0, sizeof(r->sum));
	assert_int_equal(summarize_open(&s, "textrank", NULL, &err), 0);
	assert_int_equal(summarize_run(&s, r->cleaned, &o, &r->sum, &err), 0);
	summarize_close(&s);
	sbuf_release(&err);
}

static void run_release(struct run *r)
{
	free(r->cleaned);
	summary_release(&r->sum);
}

static void cleaned_lines(const char *cleaned, struct strlist *out)
{
	for (const char *p = cleaned; *p;) {
		size_t n = strcspn(p, "\n");
		strlist_push_owned(out, pc_strndup(p, n));
		p += n + (p[n] == '\n');
	}
}

/*
 * Walks the summary through the cleaned sentences in order: each summary
 * sentence must be a whole cleaned sentence (plus the full stop added to
 * unpunctuated ones) that comes after the previous one.  Returns how many.
 */
static size_t assert_verbatim_in_order(const char *summary, const char *cleaned)
{
	struct strlist lines = STRLIST_INIT;
	const char *p = summary;
	size_t matched = 0;

	cleaned_lines(cleaned, &lines);
	for (size_t i = 0; i < lines.nr && *p; i++) {
		size_t n = strlen(lines.items[i]);

		/* the summary capitalizes a sentence's first letter */
		if (toupper((unsigned char)*p) != toupper((unsigned char)lines.items[i][0]) ||
		    strncmp(p + 1, lines.items[i] + 1, n - 1) ||
		    (p[n] && p[n] != ' ' && p[n] != '.'))
			continue;
		p += n;
		if (*p == '.' && !strchr(".!?", lines.items[i][n - 1]))
			p++;
		if (*p == ' ')
			p++;
		matched++;
	}
	if (*p)
		fail_msg("summary text not matched in order from: '%s'", p);
	strlist_release(&lines);
	return matched;
}

static void summary_is_verbatim_ordered_and_sponsor_free(void **state)
{
	struct run r;

	(void)state;
	run_textrank(transcript, 4, &r);
	assert_string_equal(r.sum.provider, "textrank");
	assert_int_equal(assert_verbatim_in_order(r.sum.short_summary, r.cleaned), 4);
	assert_null(strcasestr(r.sum.short_summary, "zorblax"));
	assert_null(strcasestr(r.sum.short_summary, "welcome"));
	for (size_t i = 0; i < r.sum.key_points.nr; i++) {
		assert_null(strcasestr(r.sum.key_points.items[i], "zorblax"));
		assert_int_equal(assert_verbatim_in_order(r.sum.key_points.items[i], r.cleaned), 1);
	}
	/* Off-topic sentences do not make it into a 4-sentence summary. */
	assert_null(strstr(r.sum.short_summary, "weather"));
	assert_null(strstr(r.sum.short_summary, "pizza"));
	assert_int_equal(r.sum.word_count, summarize_word_count(r.sum.short_summary));
	assert_int_equal(r.sum.transcript_word_count, summarize_word_count(r.cleaned));
	run_release(&r);
}

static void duplicate_sentences_are_not_both_picked(void **state)
{
	const char *dup = "The optimizer rewrites the intermediate representation to make "
			  "machine code fast.";
	struct run r;
	const char *first;

	(void)state;
	run_textrank(transcript, 8, &r);
	/* The sentence appears twice in the transcript, central both times. */
	first = strstr(r.sum.short_summary, dup);
	assert_non_null(first);
	assert_null(strstr(first + 1, dup));
	run_release(&r);
}

static void summaries_are_deterministic(void **state)
{
	struct run a, b;

	(void)state;
	run_textrank(transcript, 5, &a);
	run_textrank(transcript, 5, &b);
	assert_string_equal(a.sum.short_summary, b.sum.short_summary);
	assert_int_equal(a.sum.key_points.nr, b.sum.key_points.nr);
	for (size_t i = 0; i < a.sum.key_points.nr; i++)
		assert_string_equal(a.sum.key_points.items[i], b.sum.key_points.items[i]);
	run_release(&a);
	run_release(&b);
}

/* A long, varied, unpunctuated transcript made from a small grammar. */
static void make_speech(struct sbuf *sb, int sentences)
{
	static const char *const subj[] = {
		"the compiler", "our parser", "the type checker", "deep sleep", "the circadian clock",
		"venture investors", "a seed round", "jazz musicians", "the saxophone",
	};
	static const char *const verb[] = { "rewrites", "shapes", "protects", "funds", "carried" };
	static const char *const obj[] = {
		"the syntax tree", "memory consolidation at night", "product market fit",
		"improvisation in the forties", "hot loops across modules", "pricing experiments",
	};
	unsigned x = 7;

	for (int i = 0; i < sentences; i++) {
		x = x * 1103515245u + 12345u;
		sbuf_addf(sb, "%s %s %s %s\n", i % 5 ? "" : "so", subj[(x >> 8) % ARRAY_SIZE(subj)],
			  verb[(x >> 12) % ARRAY_SIZE(verb)], obj[(x >> 16) % ARRAY_SIZE(obj)]);
	}
}

static void key_points_between_three_and_eight(void **state)
{
	struct sbuf text = SBUF_INIT(SBUF_NOLIMIT);
	struct run r;

	(void)state;
	make_speech(&text, 600);
	run_textrank(text.buf, 5, &r);
	assert_true(r.sum.key_points.nr >= SUMMARIZE_MIN_KEY_POINTS);
	assert_true(r.sum.key_points.nr <= SUMMARIZE_MAX_KEY_POINTS);
	assert_int_equal(assert_verbatim_in_order(r.sum.short_summary, r.cleaned), 5);
	/* Key points differ from the summary when there is plenty to choose from. */
	for (size_t i = 0; i < r.sum.key_points.nr; i++) {
		char *kp = pc_strdup(r.sum.key_points.items[i]);
		kp[strlen(kp) - 1] = '\0';
		assert_null(strstr(r.sum.short_summary, kp));
		free(kp);
	}
	run_release(&r);
	sbuf_release(&text);

	run_textrank(transcript, 5, &r);
	assert_true(r.sum.key_points.nr >= SUMMARIZE_MIN_KEY_POINTS);
	assert_true(r.sum.key_points.nr <= SUMMARIZE_MAX_KEY_POINTS);
	run_release(&r);
}

/* A sentence that starts with a capital, ends with a mark and has at least
 * five words; none of them a greeting, thanks or sign-off. */
static void expect_whole(const char *s)
{
	size_t n = strlen(s);

	assert_true(n && isupper((unsigned char)s[0]));
	assert_non_null(strchr(".?!", s[n - 1]));
	assert_true(summarize_word_count(s) >= 5);
	assert_null(strcasestr(s, "welcome"));
	assert_null(strcasestr(s, "thank"));
	assert_null(strcasestr(s, "next time"));
	assert_null(strcasestr(s, "hello"));
}

static void summaries_are_whole_sentences(void **state)
{
	static const char text[] =
		"Hello everyone and welcome back to the bread show.\n"
		"Thank you all for the kind letters about sourdough starters.\n"
		"Today we bake sourdough bread with a starter that is ten years old.\n"
		"A sourdough starter needs flour, water and a warm kitchen.\n"
		"Yes.\n"
		"Feed the starter every day with fresh flour and water.\n"
		"The dough rises slowly, so plan a whole day for the bread.\n"
		"Bake the bread in a hot oven with steam for a crisp crust.\n"
		"A cold kitchen slows the starter and the dough.\n"
		"Good bread takes patience.\n"
		"Thanks for listening and see you next time on the bread show.\n";
	struct run r;
	struct strlist sentences = STRLIST_INIT;

	(void)state;
	run_textrank(text, 3, &r);
	summarize_split_sentences(r.sum.short_summary, &sentences);
	assert_int_equal(sentences.nr, 3);
	for (size_t i = 0; i < sentences.nr; i++)
		expect_whole(sentences.items[i]);
	assert_true(r.sum.key_points.nr >= 2);
	for (size_t i = 0; i < r.sum.key_points.nr; i++) {
		expect_whole(r.sum.key_points.items[i]);
		assert_null(strstr(r.sum.short_summary, r.sum.key_points.items[i]));
	}
	strlist_release(&sentences);
	run_release(&r);
}

static void short_and_empty_inputs(void **state)
{
	struct run r;

	(void)state;
	run_textrank("", 5, &r);
	assert_string_equal(r.sum.short_summary, "");
	assert_int_equal(r.sum.key_points.nr, 0);
	assert_int_equal(r.sum.word_count, 0);
	run_release(&r);

	/* no whole sentence of five words: the best there is, and no key points
	 * (they never repeat the summary) */
	run_textrank("Parsers build trees. Lexers make tokens", 5, &r);
	assert_string_equal(r.sum.short_summary, "Parsers build trees. Lexers make tokens.");
	assert_int_equal(r.sum.key_points.nr, 0);
	run_release(&r);

	run_textrank("Same words again. Same words again. Same words again.", 5, &r);
	assert_string_equal(r.sum.short_summary, "Same words again.");
	run_release(&r);
}

static void engine_table_and_option_errors(void **state)
{
	struct summarizer s = SUMMARIZER_INIT;
	struct summarize_options o = { 0 };
	struct summary sum = SUMMARY_INIT;
	struct sbuf err = SBUF_INIT(1024);

	(void)state;
	assert_ptr_equal(summarize_engine_find("textrank"), &summarize_textrank_engine);
	assert_null(summarize_engine_find("nope"));
	assert_int_equal(summarize_open(&s, "nope", NULL, &err), -PC_EUSAGE);
	assert_non_null(strstr(err.buf, "'nope'"));
	assert_non_null(strstr(err.buf, "textrank"));
	sbuf_reset(&err);
	assert_int_equal(summarize_run(&s, "Text.", NULL, &sum, &err), -PC_EUSAGE);
	assert_int_equal(summarize_open(&s, "textrank", NULL, &err), 0);
	sbuf_reset(&err);
	assert_int_equal(summarize_run(&s, "Text.", &o, &sum, &err), -PC_EUSAGE);
	assert_non_null(strstr(err.buf, "summary_sentences"));
	assert_null(sum.short_summary);
	summarize_close(&s);
	summarize_close(&s);
	sbuf_release(&err);
}

/* Deterministic junk: every byte value, broken UTF-8, odd punctuation runs. */
static void junk_text_is_handled(void **state)
{
	struct summarizer s = SUMMARIZER_INIT;
	struct sbuf text = SBUF_INIT(SBUF_NOLIMIT), err = SBUF_INIT(1024);
	static const char alphabet[] = " a.?:[]()0123\n\xc3\xa9-,Um";
	unsigned x = 99;

	(void)state;
	assert_int_equal(summarize_open(&s, "textrank", NULL, &err), 0);
	for (int round = 0; round < 60; round++) {
		struct sbuf out = SBUF_INIT(1 << 20);
		struct summary sum = SUMMARY_INIT;

		sbuf_reset(&text);
		for (int i = 0; i < round * 40; i++) {
			x = x * 1103515245u + 12345u;
			sbuf_addch(&text, round % 2 ? alphabet[(x >> 16) % (sizeof(alphabet) - 1)]
						  : (char)((x >> 16) % 255 + 1));
		}
		assert_int_equal(summarize_clean(text.buf, &out), 0);
		assert_int_equal(summarize_run(&s, out.buf, NULL, &sum, &err), 0);
		assert_non_null(sum.short_summary);
		assert_true(sum.key_points.nr <= SUMMARIZE_MAX_KEY_POINTS);
		summary_release(&sum);
		sbuf_release(&out);
	}
	summarize_close(&s);
	sbuf_release(&text);
	sbuf_release(&err);
}

static void word_counts(void **state)
{
	(void)state;
	assert_int_equal(summarize_word_count(""), 0);
	assert_int_equal(summarize_word_count("  one two\nthree -- ,  Zoë "), 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(clean_removes_timestamps),
		cmocka_unit_test(clean_removes_speaker_labels),
		cmocka_unit_test(clean_removes_filler_and_repeats),
		cmocka_unit_test(clean_removes_sponsor_reads),
		cmocka_unit_test(clean_removes_intros_and_outros),
		cmocka_unit_test(clean_segments_breaks_on_pauses),
		cmocka_unit_test(clean_respects_output_cap),
		cmocka_unit_test(split_punctuated_with_abbreviations),
		cmocka_unit_test(split_unpunctuated_speech),
		cmocka_unit_test(split_unpunctuated_lines),
		cmocka_unit_test(summary_is_verbatim_ordered_and_sponsor_free),
		cmocka_unit_test(duplicate_sentences_are_not_both_picked),
		cmocka_unit_test(summaries_are_deterministic),
		cmocka_unit_test(key_points_between_three_and_eight),
		cmocka_unit_test(summaries_are_whole_sentences),
		cmocka_unit_test(short_and_empty_inputs),
		cmocka_unit_test(engine_table_and_option_errors),
		cmocka_unit_test(junk_text_is_handled),
		cmocka_unit_test(word_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
