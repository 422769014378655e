/*
 * Sentences from timed words: cuts at pauses and utterance ends, never
 * inside a known name; capitals for sentence starts, "I", known names and
 * proper nouns of a word list; question marks on question forms.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text/text.h"
#include "util/fs.h"

#define WORD_LEN 0.3
#define SHORT_GAP 0.05

static char lexicon[] = "/tmp/test_text_lexicon_XXXXXX";

/*
 * Appends one segment whose words are those of spec, separated by short
 * gaps; "|" in spec stands for a pause of the given length.
 */
static void add_spoken(struct segment_list *l, double *t, const char *spec, double pause)
{
	char *copy = pc_strdup(spec), *save = NULL;
	struct segment *s;

	segment_list_push(l, *t, *t, NULL, "(words)");
	s = &l->items[l->nr - 1];
	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (!strcmp(w, "|")) {
			*t += pause - SHORT_GAP;
			continue;
		}
		segment_add_word(s, w, *t, *t + WORD_LEN);
		*t += WORD_LEN + SHORT_GAP;
	}
	s->end = *t;
	*t += 2;
	free(copy);
}

static struct text_options options(const char *const *names, size_t n)
{
	struct text_options o = TEXT_OPTIONS_INIT;

	o.names = names;
	o.nr_names = n;
	o.proper_nouns = lexicon;
	return o;
}

/* The texts of l, one a line. */
static char *texts(const struct segment_list *l)
{
	struct sbuf sb = SBUF_INIT(SBUF_NOLIMIT);

	for (size_t i = 0; i < l->nr; i++)
		sbuf_addf(&sb, "%s\n", l->items[i].text);
	return sbuf_detach(&sb, NULL);
}

static void expect_sentences(const char *spec, double pause, const char *const *names,
			     size_t n, const char *want)
{
	struct segment_list l = SEGMENT_LIST_INIT;
	struct text_options o = options(names, n);
	double t = 1;
	char *got;

	add_spoken(&l, &t, spec, pause);
	text_sentences(&l, &o);
	got = texts(&l);
	assert_string_equal(got, want);
	free(got);
	segment_list_release(&l);
}

static void pauses_end_sentences(void **state)
{
	(void)state;
	expect_sentences("welcome to the show | today we talk about bread", 0.3, NULL, 0,
			 "Welcome to the show.\nToday we talk about bread.\n");
	/* a pause shorter than the threshold joins */
	expect_sentences("welcome to the show | today we talk about bread", 0.15, NULL, 0,
			 "Welcome to the show today we talk about bread.\n");
	/* too few words for a sentence: the remark joins what follows */
	expect_sentences("well | we baked bread today", 0.5, NULL, 0,
			 "Well we baked bread today.\n");
}

static void utterance_ends_end_sentences(void **state)
{
	struct segment_list l = SEGMENT_LIST_INIT;
	struct text_options o = options(NULL, 0);
	double t = 0;
	char *got;

	(void)state;
	add_spoken(&l, &t, "the bread is ready", 0);
	add_spoken(&l, &t, "okay", 0);
	segment_list_push(&l, 30, 31, "Ann", "A published line without words");
	add_spoken(&l, &t, "the oven is hot now", 0);
	text_sentences(&l, &o);
	got = texts(&l);
	assert_string_equal(got, "The bread is ready.\nOkay.\nA published line without words\n"
				 "The oven is hot now.\n");
	/* times and words come from the words; text is the words and a mark */
	assert_int_equal(l.items[0].nr_words, 4);
	assert_true(l.items[0].start == l.items[0].words[0].start);
	assert_true(l.items[0].end == l.items[0].words[3].end);
	assert_string_equal(l.items[0].words[0].text, "The");
	assert_int_equal(l.items[2].nr_words, 0);
	assert_string_equal(l.items[2].speaker, "Ann");
	free(got);
	segment_list_release(&l);
}

static void names_stay_whole_and_capitalized(void **state)
{
	static const char *const names[] = { "Priya Nair", "Sophie van Dalen", "Grace Lee" };

	(void)state;
	/* a pause inside a known name never cuts it */
	expect_sentences("my guest today is priya | nair from the bakery", 0.5, names, 3,
			 "My guest today is Priya Nair from the bakery.\n");
	expect_sentences("we talked with sophie van | dalen about priya yesterday", 0.5, names,
			 3, "We talked with Sophie van Dalen about Priya yesterday.\n");
	/* a name word that is also a common word is a name only in the full name */
	expect_sentences("by the grace of grace lee we won", 0.5, names, 3,
			 "By the grace of Grace Lee we won.\n");
}

static void capitals_and_marks(void **state)
{
	(void)state;
	expect_sentences("i'm sure i think we went to paris on monday | i'll bill you later",
			 0.5, NULL, 0,
			 "I'm sure I think we went to Paris on Monday.\nI'll bill you later.\n");
	expect_sentences("what do you think | when we started we had nothing | so how did it go"
			 " | do you bake every day | what makes bread rise | it is the yeast",
			 0.5, NULL, 0,
			 "What do you think?\nWhen we started we had nothing.\nSo how did it go?\n"
			 "Do you bake every day?\nWhat makes bread rise?\nIt is the yeast.\n");
}

static void long_sentences_are_cut_at_their_longest_pause(void **state)
{
	struct sbuf spec = SBUF_INIT(SBUF_NOLIMIT);
	struct segment_list l = SEGMENT_LIST_INIT;
	struct text_options o = options(NULL, 0);
	double t = 0;

	(void)state;
	for (int i = 0; i < 50; i++)
		sbuf_addf(&spec, "%s%s", i == 30 ? "| " : "", "word ");
	add_spoken(&l, &t, spec.buf, 0.15);
	text_sentences(&l, &o);
	assert_int_equal(l.nr, 2);
	assert_int_equal(l.items[0].nr_words, 30);
	assert_int_equal(l.items[1].nr_words, 20);
	segment_list_release(&l);
	sbuf_release(&spec);
}

static void missing_word_list_is_not_fatal(void **state)
{
	struct sbuf out = SBUF_INIT(256);
	struct segment_list l = SEGMENT_LIST_INIT;
	struct text_options o = TEXT_OPTIONS_INIT;
	double t = 0;

	(void)state;
	text_case_word("paris", lexicon, &out);
	assert_string_equal(out.buf, "Paris");
	sbuf_reset(&out);
	text_case_word("paris", "/nonexistent/words", &out);
	assert_string_equal(out.buf, "paris");
	o.proper_nouns = "/nonexistent/words";
	add_spoken(&l, &t, "i went to paris", 0);
	text_sentences(&l, &o);
	assert_string_equal(l.items[0].text, "I went to paris.");
	segment_list_release(&l);
	sbuf_release(&out);
}

static int setup(void **state)
{
	static const char words[] = "Bill\nMonday\nParis\nbill\nbread\ngrace\nGrace\nSophie\n";
	struct sbuf err = SBUF_INIT(256);
	int fd = mkstemp(lexicon);

	(void)state;
	if (fd < 0)
		return -1;
	close(fd);
	if (fs_write_atomic(lexicon, words, sizeof(words) - 1, &err) < 0)
		return -1;
	sbuf_release(&err);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(lexicon);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pauses_end_sentences),
		cmocka_unit_test(utterance_ends_end_sentences),
		cmocka_unit_test(names_stay_whole_and_capitalized),
		cmocka_unit_test(capitals_and_marks),
		cmocka_unit_test(long_sentences_are_cut_at_their_longest_pause),
		cmocka_unit_test(missing_word_list_is_not_fatal),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
