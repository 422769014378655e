/*
 * Unit tests for speakers named by the transcript: turn labels that are
 * first or last names, header blocks, introductions, placeholder authors.
 * Transcripts go through the real parser, shaped as published ones are.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "feed/feed.h"
#include "speakers/speakers.h"
#include "transcript/transcript.h"

struct run {
	struct feed f;
	struct episode ep;
	struct segment_list segs;
	struct speaker_list sl;
	struct strlist hosts, guests;
};

static void run_init(struct run *r, const char *show, const char *author, const char *title,
		     const char *description)
{
	memset(r, 0, sizeof(*r));
	r->f.title = (char *)show;
	r->f.author = (char *)author;
	r->ep.title = (char *)title;
	r->ep.description = (char *)description;
}

static void run_detect(struct run *r, enum transcript_format fmt, const char *text,
		       const struct speakers_options *o)
{
	struct sbuf err = SBUF_INIT(4096);

	if (text)
		assert_int_equal(transcript_parse(fmt, text, strlen(text), &r->segs, &err), 0);
	assert_int_equal(speakers_detect_transcript(&r->f, &r->ep, o, text ? &r->segs : NULL,
						    &r->sl), 0);
	speakers_hosts(&r->sl, &r->hosts);
	speakers_guests(&r->sl, &r->guests);
	sbuf_release(&err);
}

static void run_release(struct run *r)
{
	segment_list_release(&r->segs);
	speaker_list_release(&r->sl);
	strlist_release(&r->hosts);
	strlist_release(&r->guests);
}

static void expect_names(const struct strlist *got, const char *const *want, size_t n,
			 const char *what)
{
	bool same = got->nr == n;

	for (size_t i = 0; same && i < n; i++)
		same = !strcmp(got->items[i], want[i]);
	if (!same)
		fail_msg("%s: got %zu names, first '%s'; want %zu, first '%s'", what, got->nr,
			 got->nr ? got->items[0] : "", n, n ? want[0] : "");
}

#define HOSTS(r, ...) do { \
	static const char *const w_[] = { __VA_ARGS__ }; \
	expect_names(&(r)->hosts, w_, ARRAY_SIZE(w_), "hosts"); \
} while (0)
#define GUESTS(r, ...) do { \
	static const char *const w_[] = { __VA_ARGS__ }; \
	expect_names(&(r)->guests, w_, ARRAY_SIZE(w_), "guests"); \
} while (0)
#define NO_GUESTS(r) expect_names(&(r)->guests, NULL, 0, "guests")
#define NO_HOSTS(r) expect_names(&(r)->hosts, NULL, 0, "hosts")

/* Every labelled segment carries one of the detected names. */
static void expect_turn_labels(const struct run *r)
{
	for (size_t i = 0; i < r->segs.nr; i++) {
		const char *s = r->segs.items[i].speaker;
		bool known = !s;

		for (size_t k = 0; s && k < r->sl.nr; k++)
			known |= !strcmp(s, r->sl.items[k].name);
		if (!known)
			fail_msg("segment %zu is labelled '%s', which is nobody detected", i, s);
	}
}

static const char header_transcript[] =
	"# The Workshop Hour - Sourdough at scale\n"
	"Podcast: The Workshop Hour\n"
	"Episode: 41 - Sourdough at scale\n"
	"Host: Ethan\n"
	"Guest: Priya\n"
	"\n"
	"[00:00] Ethan: Welcome back to the Workshop Hour.\n"
	"[00:06] Priya: Thanks for having me.\n"
	"[00:10] Ethan: So how did the bakery start?\n"
	"[00:14] Priya: With one oven and a lot of stubbornness.\n";

static void first_name_labels_get_full_names(void **state)
{
	struct run r;

	(void)state;
	run_init(&r, "The Workshop Hour", "Ethan Park", "Sourdough at scale (with Priya Nair)",
		 NULL);
	run_detect(&r, TRANSCRIPT_TEXT, header_transcript, NULL);
	HOSTS(&r, "Ethan Park");
	GUESTS(&r, "Priya Nair");
	assert_int_equal(r.segs.nr, 4);     /* the header block is gone */
	assert_string_equal(r.segs.items[0].speaker, "Ethan Park");
	assert_string_equal(r.segs.items[0].text, "Welcome back to the Workshop Hour.");
	assert_string_equal(r.segs.items[1].speaker, "Priya Nair");
	expect_turn_labels(&r);
	run_release(&r);
}

static void header_words_are_never_speakers(void **state)
{
	struct run r;

	(void)state;
	/* nobody in the feed: the header alone names the people */
	run_init(&r, "The Night Shift", "The Night Shift", "Working while the city sleeps",
		 NULL);
	run_detect(&r, TRANSCRIPT_TEXT,
		   "Podcast: The Night Shift\n"
		   "Episode: Working while the city sleeps\n"
		   "Recorded: Tuesday 3 March 2026\n"
		   "Host: Marcus Bell\n"
		   "Guest: Ana Ruiz\n\n"
		   "Marcus: Ana, you've worked nights for ten years.\n"
		   "Ana: Eleven, actually.\n"
		   "Marcus: What does that do to a person?\n"
		   "Podcast: a word said in a turn is still no speaker\n"
		   "Ana: You get very good at sleeping in daylight.\n", NULL);
	HOSTS(&r, "Marcus Bell");
	GUESTS(&r, "Ana Ruiz");
	for (size_t i = 0; i < r.sl.nr; i++) {
		assert_null(strstr(r.sl.items[i].name, "Podcast"));
		assert_null(strstr(r.sl.items[i].name, "Episode"));
		assert_null(strstr(r.sl.items[i].name, "Recorded"));
	}
	assert_string_equal(speaker_source_name(r.sl.items[0].source), "transcript");
	expect_turn_labels(&r);
	run_release(&r);
}

static void particles_titles_and_last_names(void **state)
{
	struct run r;

	(void)state;
	run_init(&r, "Match Point", "Test Author", "Reading the opponent",
		 "Coach Sophie van Dalen breaks down how to read a serve.");
	r.ep.persons = &(struct person){ "Lotte Jansen", PERSON_HOST, NULL };
	r.ep.nr_persons = 1;
	run_detect(&r, TRANSCRIPT_TEXT,
		   "Lotte: Welcome to Match Point.\nSophie: Happy to be here, Lotte.\n"
		   "Lotte: Where do you look?\nVan Dalen: At the shoulders.\n", NULL);
	HOSTS(&r, "Lotte Jansen");
	GUESTS(&r, "Sophie van Dalen");
	expect_turn_labels(&r);
	run_release(&r);

	run_init(&r, "Field Notes", "Grace Holloway", "Listening to glaciers (with Dr. Amara Okafor)",
		 NULL);
	run_detect(&r, TRANSCRIPT_TEXT,
		   "Holloway (00:00:02)\nWelcome to Field Notes.\n\n"
		   "Dr. Okafor (00:00:07)\nThanks, Grace.\n\n"
		   "Amara [00:00:10]: Glad to be here.\n"
		   "GRACE: What do glaciers sound like?\n", NULL);
	HOSTS(&r, "Grace Holloway");
	GUESTS(&r, "Dr. Amara Okafor");
	assert_int_equal(r.segs.nr, 4);
	assert_string_equal(r.segs.items[1].speaker, "Dr. Amara Okafor");
	assert_string_equal(r.segs.items[2].speaker, "Dr. Amara Okafor");
	assert_string_equal(r.segs.items[3].speaker, "Grace Holloway");
	run_release(&r);
}

static void prefixes_and_ambiguous_labels(void **state)
{
	struct speakers_options o = SPEAKERS_OPTIONS_INIT;
	struct strlist known = STRLIST_INIT;
	struct run r;

	(void)state;
	strlist_push(&known, "Christopher Hale");
	o.known_hosts = &known;
	run_init(&r, "Kitchen Table", "Kitchen Table", "Budget meals with chef Marta Kowalski",
		 NULL);
	run_detect(&r, TRANSCRIPT_TEXT,
		   "Chris: Welcome to Kitchen Table.\nMarta: Lentils tonight.\n"
		   "Chris: That's it?\nMarta: That's a good dinner.\n", &o);
	HOSTS(&r, "Christopher Hale");
	GUESTS(&r, "Marta Kowalski");
	expect_turn_labels(&r);
	run_release(&r);

	/* "Sam" could be either guest: the label stays as written */
	run_init(&r, "AI Weekly", "Jane Doe", "Sam Harris and Sam Altman on AI", NULL);
	run_detect(&r, TRANSCRIPT_TEXT, "Jane: Hello.\nSam: Hi.\nSam: Hi again.\n", NULL);
	HOSTS(&r, "Jane Doe");
	GUESTS(&r, "Sam Harris", "Sam Altman");
	assert_string_equal(r.segs.items[1].speaker, "Sam");
	run_release(&r);
	strlist_release(&known);
}

static void introductions_name_people(void **state)
{
	struct run r;

	(void)state;
	run_init(&r, "Tinker", "Admin", "Episode 7: repairing old radios",
		 "We open up a 1950s radio.");
	run_detect(&r, TRANSCRIPT_TEXT,
		   "Cam: Hey, I'm your host, Cam, and this is Tinker.\n"
		   "Cam: I'm joined by Jordan Park, who restores radios.\n"
		   "Jordan: Thanks Cam, good to be here.\n"
		   "Cam: What fails first?\nJordan: The capacitors.\n", NULL);
	HOSTS(&r, "Cam");
	GUESTS(&r, "Jordan Park");
	expect_turn_labels(&r);
	run_release(&r);

	/* unlabelled text: "my guest today is", "I'm X and this is" */
	run_init(&r, "Brain Matters", "Unknown", "Sleep and memory", NULL);
	run_detect(&r, TRANSCRIPT_TEXT,
		   "Hi, I'm Oliver Grant, and this is Brain Matters.\n"
		   "My guest today is Dr. Lena Vogel, a sleep researcher.\n"
		   "Welcome back, Lena.\n", NULL);
	HOSTS(&r, "Oliver Grant");
	GUESTS(&r, "Dr. Lena Vogel");
	run_release(&r);

	run_init(&r, "After Hours", "Unknown", "Jazz on the radio", NULL);
	run_detect(&r, TRANSCRIPT_TEXT,
		   "Host: Leo Marsh\n\n"
		   "Leo: Tonight my guest is saxophonist Ruth Okonkwo.\n"
		   "Ruth: Evening, Leo.\nLeo: What did you play first?\n", NULL);
	HOSTS(&r, "Leo Marsh");
	GUESTS(&r, "Ruth Okonkwo");
	expect_turn_labels(&r);
	run_release(&r);
}

/* Recognizer output: lower case, no punctuation, timed, no labels. */
static void introductions_in_local_transcripts(void **state)
{
	struct run r;

	(void)state;
	run_init(&r, "Tinker", "Test Author", "Repairing old radios", NULL);
	segment_list_push(&r.segs, 0.0, 4.2, NULL, "welcome to tinker i'm your host cam");
	segment_list_push(&r.segs, 4.5, 9.0, NULL,
			  "and today i'm joined by jordan park who restores radios");
	segment_list_push(&r.segs, 9.5, 12.0, NULL, "thanks for having me cam");
	segment_list_push(&r.segs, 400.0, 404.0, NULL, "my guest today is nobody new");
	assert_int_equal(speakers_detect_transcript(&r.f, &r.ep, NULL, &r.segs, &r.sl), 0);
	speakers_hosts(&r.sl, &r.hosts);
	speakers_guests(&r.sl, &r.guests);
	HOSTS(&r, "Cam");
	GUESTS(&r, "Jordan Park");
	run_release(&r);

	/* sentences and capitals put back, but only on words known as names */
	run_init(&r, "Tinker", "Admin", "Repairing old radios", NULL);
	segment_list_push(&r.segs, 0.0, 9.0, NULL,
			  "Hello and welcome to the radio hour I'm your host David brown today "
			  "I'm joined by maria Lopez who repairs old radios.");
	assert_int_equal(speakers_detect_transcript(&r.f, &r.ep, NULL, &r.segs, &r.sl), 0);
	speakers_hosts(&r.sl, &r.hosts);
	speakers_guests(&r.sl, &r.guests);
	HOSTS(&r, "David Brown");
	GUESTS(&r, "Maria Lopez");
	run_release(&r);
}

static void placeholder_authors_are_not_hosts(void **state)
{
	static const char *const authors[] = {
		"Test Author", "Admin", "Unknown", "Loose Threads", "Harbor Audio",
		"Nobody Special",
	};
	struct run r;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(authors); i++) {
		run_init(&r, "Loose Threads", authors[i], "Mending jeans", NULL);
		r.f.description = "Loose Threads is a Nobody Special production.";
		run_detect(&r, TRANSCRIPT_TEXT, NULL, NULL);
		NO_HOSTS(&r);
		run_release(&r);
	}
	/* then the host comes from the person tags, and a real author still counts */
	run_init(&r, "Loose Threads", "Unknown", "Mending jeans", NULL);
	r.f.persons = &(struct person){ "Hannah Cole", PERSON_HOST, NULL };
	r.f.nr_persons = 1;
	run_detect(&r, TRANSCRIPT_TEXT, NULL, NULL);
	HOSTS(&r, "Hannah Cole");
	run_release(&r);
	run_init(&r, "Loose Threads", "Hannah Cole", "Mending jeans", NULL);
	run_detect(&r, TRANSCRIPT_TEXT, NULL, NULL);
	HOSTS(&r, "Hannah Cole");
	run_release(&r);
}

static void roles_before_names_in_descriptions(void **state)
{
	struct strlist got = STRLIST_INIT;

	(void)state;
	speakers_names_in_text("Coach Sophie van Dalen breaks down the serve. Later, "
			       "bestselling author Jane Doe and glaciologist Dr. Amara Okafor.",
			       false, NULL, &got);
	assert_int_equal(got.nr, 3);
	assert_string_equal(got.items[0], "Sophie van Dalen");
	assert_string_equal(got.items[1], "Jane Doe");
	assert_string_equal(got.items[2], "Dr. Amara Okafor");
	strlist_release(&got);
	speakers_names_in_text("Chef Ana Ruiz on fermentation", true, NULL, &got);
	assert_int_equal(got.nr, 1);
	assert_string_equal(got.items[0], "Ana Ruiz");
	strlist_release(&got);
	speakers_names_in_text("Samir talks to Prof. Helen Marsh about dreams.", false, NULL,
			       &got);
	assert_int_equal(got.nr, 1);
	assert_string_equal(got.items[0], "Prof. Helen Marsh");
	strlist_release(&got);
	/* any one lower-case word between an introduction and a name */
	speakers_names_in_text("Visible mending, with tailor Sam de Jong.", false, NULL, &got);
	assert_int_equal(got.nr, 1);
	assert_string_equal(got.items[0], "Sam de Jong");
	strlist_release(&got);
	/* a role word with no name after it names nobody */
	speakers_names_in_text("The author of the book talks to us.", false, NULL, &got);
	assert_int_equal(got.nr, 0);
	strlist_release(&got);
}

static void labels_must_open_turns(void **state)
{
	struct run r;

	(void)state;
	/* "Speaker 1/2" in a one-host one-guest episode; VTT voices */
	run_init(&r, "City Desk", "Rosa Lindqvist", "Trams are back, with Piet de Vries", NULL);
	run_detect(&r, TRANSCRIPT_VTT,
		   "WEBVTT\n\n00:00.000 --> 00:02.000\n<v Speaker 1>This is City Desk.\n\n"
		   "00:02.500 --> 00:04.000\n<v Speaker 2>More trams!\n\n"
		   "00:04.500 --> 00:06.000\n<v Speaker 1>You got them.\n", NULL);
	HOSTS(&r, "Rosa Lindqvist");
	GUESTS(&r, "Piet de Vries");
	expect_turn_labels(&r);
	run_release(&r);

	/* a one-off label at the top is metadata, the speakers are the turns */
	run_init(&r, "Overheard", "Unknown", "Maps", NULL);
	run_detect(&r, TRANSCRIPT_TEXT,
		   "Source: our own recording\n\n"
		   "Jonas Berg: Welcome to Overheard.\nElena Sokolova: Maps lie.\n"
		   "Jonas Berg: How?\n", NULL);
	HOSTS(&r, "Jonas Berg");
	GUESTS(&r, "Elena Sokolova");
	run_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(first_name_labels_get_full_names),
		cmocka_unit_test(header_words_are_never_speakers),
		cmocka_unit_test(particles_titles_and_last_names),
		cmocka_unit_test(prefixes_and_ambiguous_labels),
		cmocka_unit_test(introductions_name_people),
		cmocka_unit_test(introductions_in_local_transcripts),
		cmocka_unit_test(placeholder_authors_are_not_hosts),
		cmocka_unit_test(roles_before_names_in_descriptions),
		cmocka_unit_test(labels_must_open_turns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
