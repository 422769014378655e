/* Unit tests for host and guest detection. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "feed/feed.h"
#include "speakers/speakers.h"

/* Guest names found in a title of a show called show (may be NULL). */
static void title_guests(const char *title, const char *show, struct strlist *out)
{
	speakers_names_in_text(title, true, show, out);
}

static void assert_title_guests(const char *title, const char *show,
				const char *const *want, size_t n)
{
	struct strlist got = STRLIST_INIT;

	title_guests(title, show, &got);
	if (got.nr != n)
		fail_msg("'%s': %zu names found (first '%s'), %zu expected", title, got.nr,
			 got.nr ? got.items[0] : "", n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(got.items[i], want[i]);
	strlist_release(&got);
}

#define GUESTS(title, ...) do { \
	static const char *const w_[] = { __VA_ARGS__ }; \
	assert_title_guests(title, NULL, w_, ARRAY_SIZE(w_)); \
} while (0)
#define NO_GUESTS(title) assert_title_guests(title, NULL, NULL, 0)

static void guests_from_title_patterns(void **state)
{
	(void)state;
	GUESTS("Ep 12: Building Rust Compilers with Jane Doe", "Jane Doe");
	GUESTS("Dr. Ana Lima on sleep science", "Dr. Ana Lima");
	GUESTS("Ep 3: Dr. Ana Lima on sleep science", "Dr. Ana Lima");
	GUESTS("Latin Jazz Tonight feat. Carlos Díaz", "Carlos Díaz");
	GUESTS("Interview with Zoë O'Brien-Smith", "Zoë O'Brien-Smith");
	GUESTS("The Future of AI | Sam Altman", "Sam Altman");
	GUESTS("Part 2 \xe2\x80\x94 Ana Lúcia Ferreira", "Ana Lúcia Ferreira");
	GUESTS("Bonus - Ludwig van Beethoven", "Ludwig van Beethoven");
	GUESTS("Guests: Jane Doe and John Smith", "Jane Doe", "John Smith");
	GUESTS("Featuring Prof. Mary Beard, Sir David Attenborough & Jane Goodall",
	       "Prof. Mary Beard", "Sir David Attenborough", "Jane Goodall");
	GUESTS("Why sleep matters: Matthew Walker joins us", "Matthew Walker");
	GUESTS("Sam Harris and Yuval Noah Harari on AI", "Sam Harris", "Yuval Noah Harari");
	GUESTS("Ep. 245 - Naval Ravikant on Wealth and Happiness", "Naval Ravikant");
}

static void titles_without_guests(void **state)
{
	(void)state;
	NO_GUESTS("Monday Roundup with the Team");
	NO_GUESTS("Episode 5: Live from Berlin");
	NO_GUESTS("Talking with Friends");
	NO_GUESTS("A Chat with NASA");
	NO_GUESTS("Thoughts on compilers");
	NO_GUESTS("Ask Me Anything with Everyone");
	NO_GUESTS("The State of Things | Season Finale");
	NO_GUESTS("Part 1 - The Beginning");
	NO_GUESTS("Coding with Rust And Go");
	NO_GUESTS("Ep 9: Building Rust Compilers on Linux");
	NO_GUESTS("Fun with Machine Learning");
	NO_GUESTS("Guests: the whole team");
	NO_GUESTS("Recorded Live - December Special");
	NO_GUESTS("San Francisco on Fire");
	NO_GUESTS("");
}

static void show_name_words_are_never_guests(void **state)
{
	struct strlist got = STRLIST_INIT;

	(void)state;
	title_guests("Compiler Chat with Rust Weekly", "Rust Weekly", &got);
	assert_int_equal(got.nr, 0);
	title_guests("Late Night Code with Jane Doe", "Late Night Code", &got);
	assert_int_equal(got.nr, 1);
	assert_string_equal(got.items[0], "Jane Doe");
	strlist_release(&got);
	title_guests("Catching up with Marcus Lab", "Marcus Lab Radio", &got);
	assert_int_equal(got.nr, 0);
	strlist_release(&got);
}

static void guests_from_description(void **state)
{
	struct strlist got = STRLIST_INIT;

	(void)state;
	speakers_names_in_text("In this episode we sit down with Dr. Priya Natarajan, "
			       "an astrophysicist at Yale. Later, Tom Hanks joins us to talk "
			       "about typewriters. Sponsored by Acme Media LLC.",
			       false, NULL, &got);
	assert_int_equal(got.nr, 2);
	assert_string_equal(got.items[0], "Dr. Priya Natarajan");
	assert_string_equal(got.items[1], "Tom Hanks");
	strlist_release(&got);
	/* "X on" and "- X" belong to titles only. */
	speakers_names_in_text("Jane Doe on the state of things - Big Tech", false, NULL, &got);
	assert_int_equal(got.nr, 0);
	strlist_release(&got);
}

static void person_names_and_organisations(void **state)
{
	(void)state;
	assert_true(speakers_is_person_name("Jane Doe"));
	assert_true(speakers_is_person_name("Ana Lúcia"));
	assert_true(speakers_is_person_name("Dr. Ana Lima"));
	assert_true(speakers_is_person_name("Vincent van Gogh"));
	assert_true(speakers_is_person_name("J. R. R. Tolkien"));
	assert_true(speakers_is_person_name("Martin Luther King Jr."));
	assert_false(speakers_is_person_name("NPR"));
	assert_false(speakers_is_person_name("Acme Media LLC"));
	assert_false(speakers_is_person_name("The Daily Show"));
	assert_false(speakers_is_person_name("WNYC Studios"));
	assert_false(speakers_is_person_name("Gimlet"));
	assert_false(speakers_is_person_name("Vox Media Podcast Network"));
	assert_false(speakers_is_person_name("Radio 4"));
	assert_false(speakers_is_person_name("Jane Doe Productions"));
	assert_false(speakers_is_person_name("jane doe"));
	assert_false(speakers_is_person_name("One Two Three Four Five"));
	assert_false(speakers_is_person_name(""));
}

static void author_fields_split_into_people(void **state)
{
	struct strlist got = STRLIST_INIT;

	(void)state;
	speakers_split_authors("Jane Doe and John Smith", &got);
	assert_int_equal(got.nr, 2);
	assert_string_equal(got.items[0], "Jane Doe");
	assert_string_equal(got.items[1], "John Smith");
	strlist_release(&got);
	speakers_split_authors("Jane Doe, John Smith & Ann Lee", &got);
	assert_int_equal(got.nr, 3);
	assert_string_equal(got.items[2], "Ann Lee");
	strlist_release(&got);
	speakers_split_authors("NPR", &got);
	speakers_split_authors("Acme Media LLC", &got);
	assert_int_equal(got.nr, 0);
	speakers_split_authors("Jane Doe / Acme Media LLC", &got);
	assert_int_equal(got.nr, 1);
	assert_string_equal(got.items[0], "Jane Doe");
	strlist_release(&got);
}

/* Deterministic junk: bytes of every kind, broken UTF-8, long runs. */
static void junk_text_is_handled(void **state)
{
	struct strlist got = STRLIST_INIT;
	static const char alphabet[] = " AaZz.,:|-&\xc3\xa9\xe2\x80\x94w";
	char buf[600];
	unsigned x = 12345;

	(void)state;
	for (int round = 0; round < 300; round++) {
		size_t n = (size_t)(round * 2) % (sizeof(buf) - 1);
		for (size_t i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			buf[i] = (char)(round % 3 ? alphabet[(x >> 16) % (sizeof(alphabet) - 1)]
						  : (char)((x >> 16) % 255 + 1));
		}
		buf[n] = '\0';
		speakers_names_in_text(buf, round & 1, buf, &got);
		speakers_split_authors(buf, &got);
		(void)speakers_is_person_name(buf);
		for (size_t i = 0; i < got.nr; i++)
			assert_true(strlen(got.items[i]) <= SPEAKERS_NAME_MAX);
		strlist_release(&got);
	}
}

static void same_person_rule(void **state)
{
	(void)state;
	assert_true(speakers_same_person("Jane Doe", "jane doe"));
	assert_true(speakers_same_person("Jane", "Jane Doe"));
	assert_true(speakers_same_person("Dr. Jane Doe", "Jane Doe"));
	assert_true(speakers_same_person("ZOË LIMA", "Zoë Lima"));
	assert_false(speakers_same_person("Jane Doe", "John Doe"));
	assert_false(speakers_same_person("Jane Doe", "Jane Smith"));
}

/* ---- speakers_detect on filled-in feed structs ------------------------- */

static struct person host_tag = { "Jane Doe", PERSON_HOST, NULL };
static struct person item_tags[] = {
	{ "Sam Lee", PERSON_GUEST, NULL },
	{ "Ed Editor", PERSON_OTHER, NULL },
};

static void check_speaker(const struct speaker_list *l, size_t i, const char *id,
			  const char *name, enum speaker_role r, enum speaker_source s)
{
	assert_true(i < l->nr);
	assert_string_equal(l->items[i].id, id);
	assert_string_equal(l->items[i].name, name);
	assert_int_equal(l->items[i].role, r);
	assert_string_equal(speaker_source_name(l->items[i].source), speaker_source_name(s));
}

static void detect_from_person_tags(void **state)
{
	struct feed f = FEED_INIT;
	struct episode ep = { 0 };
	struct speaker_list sl = SPEAKER_LIST_INIT;

	(void)state;
	f.title = "Code Talk";
	f.persons = &host_tag;
	f.nr_persons = 1;
	f.author = "Acme Media LLC";
	ep.title = "Ep 1: Compilers with Sam Lee";
	ep.persons = item_tags;
	ep.nr_persons = ARRAY_SIZE(item_tags);
	assert_int_equal(speakers_detect(&f, &ep, NULL, NULL, &sl), 0);
	assert_int_equal(sl.nr, 2);
	check_speaker(&sl, 0, "spk_1", "Jane Doe", SPEAKER_HOST, SPEAKER_SRC_PERSON_TAG);
	check_speaker(&sl, 1, "spk_2", "Sam Lee", SPEAKER_GUEST, SPEAKER_SRC_PERSON_TAG);
	speaker_list_release(&sl);
}

static void detect_itunes_hosts_and_org_authors(void **state)
{
	struct feed f = FEED_INIT;
	struct episode ep = { 0 };
	struct speaker_list sl = SPEAKER_LIST_INIT;
	struct strlist hosts = STRLIST_INIT, guests = STRLIST_INIT;

	(void)state;
	f.title = "Morning Brief";
	f.author = "NPR";
	f.owner_name = "Acme Media LLC";
	strlist_push(&f.authors, "Jane Doe");
	strlist_push(&f.authors, "The Daily Show");
	ep.author = "Jane Doe and John Smith";
	ep.title = "Dr. Ana Lima on sleep science";
	ep.description = "John Smith talks with Jane Doe and Dr. Ana Lima about naps.";
	assert_int_equal(speakers_detect(&f, &ep, NULL, NULL, &sl), 0);
	speakers_hosts(&sl, &hosts);
	speakers_guests(&sl, &guests);
	assert_int_equal(hosts.nr, 2);
	assert_string_equal(hosts.items[0], "Jane Doe");
	assert_string_equal(hosts.items[1], "John Smith");
	assert_int_equal(guests.nr, 1);
	assert_string_equal(guests.items[0], "Dr. Ana Lima");
	check_speaker(&sl, 2, "spk_3", "Dr. Ana Lima", SPEAKER_GUEST, SPEAKER_SRC_TITLE);
	check_speaker(&sl, 0, "spk_1", "Jane Doe", SPEAKER_HOST, SPEAKER_SRC_ITUNES);
	strlist_release(&hosts);
	strlist_release(&guests);
	strlist_release(&f.authors);
	speaker_list_release(&sl);
}

static void host_is_never_guest(void **state)
{
	struct feed f = FEED_INIT;
	struct episode ep = { 0 };
	struct speaker_list sl = SPEAKER_LIST_INIT;
	struct strlist voices = STRLIST_INIT, guests = STRLIST_INIT;

	(void)state;
	f.author = "Jane Doe";
	ep.title = "A Conversation with Jane Doe";
	ep.description = "Dr. Jane Doe joins us, with Ann Lee.";
	strlist_push(&voices, "Jane");
	strlist_push(&voices, "JANE DOE");
	strlist_push(&voices, "Speaker 2");
	strlist_push(&voices, "SPEAKER_01");
	strlist_push(&voices, "Marco Polo");
	assert_int_equal(speakers_detect(&f, &ep, NULL, &voices, &sl), 0);
	speakers_guests(&sl, &guests);
	assert_int_equal(guests.nr, 2);
	assert_string_equal(guests.items[0], "Marco Polo");
	assert_string_equal(guests.items[1], "Ann Lee");
	check_speaker(&sl, 1, "spk_2", "Marco Polo", SPEAKER_GUEST, SPEAKER_SRC_VTT_VOICE);
	check_speaker(&sl, 2, "spk_3", "Ann Lee", SPEAKER_GUEST, SPEAKER_SRC_DESCRIPTION);
	strlist_release(&voices);
	strlist_release(&guests);
	speaker_list_release(&sl);
}

static void known_hosts_and_auto_off(void **state)
{
	struct feed f = FEED_INIT;
	struct episode ep = { 0 };
	struct speaker_list sl = SPEAKER_LIST_INIT;
	struct strlist known = STRLIST_INIT, voices = STRLIST_INIT;
	struct speakers_options o = SPEAKERS_OPTIONS_INIT;

	(void)state;
	f.author = "Jane Doe";
	ep.title = "Chatting with Kim Park";
	strlist_push(&known, "Lex");
	strlist_push(&voices, "Lex");
	strlist_push(&voices, "Kim Park");
	o.known_hosts = &known;
	assert_int_equal(speakers_detect(&f, &ep, &o, &voices, &sl), 0);
	assert_int_equal(sl.nr, 3);
	check_speaker(&sl, 0, "spk_1", "Lex", SPEAKER_HOST, SPEAKER_SRC_CONFIG);
	check_speaker(&sl, 1, "spk_2", "Jane Doe", SPEAKER_HOST, SPEAKER_SRC_ITUNES);
	check_speaker(&sl, 2, "spk_3", "Kim Park", SPEAKER_GUEST, SPEAKER_SRC_VTT_VOICE);
	speaker_list_release(&sl);

	o.auto_speakers = false;
	assert_int_equal(speakers_detect(&f, &ep, &o, &voices, &sl), 0);
	assert_int_equal(sl.nr, 1);
	check_speaker(&sl, 0, "spk_1", "Lex", SPEAKER_HOST, SPEAKER_SRC_CONFIG);
	speaker_list_release(&sl);
	strlist_release(&known);
	strlist_release(&voices);
}

static void manual_names_override_everything(void **state)
{
	struct feed f = FEED_INIT;
	struct episode ep = { 0 };
	struct speaker_list sl = SPEAKER_LIST_INIT;
	struct strlist names = STRLIST_INIT, known = STRLIST_INIT, order = STRLIST_INIT;
	struct speakers_options o = SPEAKERS_OPTIONS_INIT;

	(void)state;
	f.author = "Jane Doe";
	f.persons = &host_tag;
	f.nr_persons = 1;
	ep.title = "Interview with Sam Altman";
	strlist_push(&names, "Alice");
	strlist_push(&names, " Bob ");
	strlist_push(&names, "Carol");
	strlist_push(&known, "Lex");
	o.speaker_names = &names;
	o.known_hosts = &known;
	assert_int_equal(speakers_detect(&f, &ep, &o, NULL, &sl), 0);
	assert_int_equal(sl.nr, 3);
	check_speaker(&sl, 0, "spk_1", "Alice", SPEAKER_HOST, SPEAKER_SRC_MANUAL);
	check_speaker(&sl, 1, "spk_2", "Bob", SPEAKER_GUEST, SPEAKER_SRC_MANUAL);
	check_speaker(&sl, 2, "spk_3", "Carol", SPEAKER_GUEST, SPEAKER_SRC_MANUAL);
	speakers_names_for_screenplay(&sl, &order);
	assert_int_equal(order.nr, 3);
	assert_string_equal(order.items[0], "Alice");
	assert_string_equal(order.items[2], "Carol");
	assert_int_equal(speakers_detect(&f, &ep, &o, NULL, &sl), -PC_EUSAGE);
	speaker_list_release(&sl);
	strlist_release(&names);
	strlist_release(&known);
	strlist_release(&order);
}

static void screenplay_order_puts_hosts_first(void **state)
{
	struct speaker_list sl = SPEAKER_LIST_INIT;
	struct strlist order = STRLIST_INIT, voices = STRLIST_INIT;
	struct episode ep = { 0 };
	struct feed f = FEED_INIT;

	(void)state;
	f.owner_name = "Maria Silva";
	ep.title = "Guest: Tomás Ruiz";
	strlist_push(&voices, "Nadia Ali");
	assert_int_equal(speakers_detect(&f, &ep, NULL, &voices, &sl), 0);
	speakers_names_for_screenplay(&sl, &order);
	assert_int_equal(order.nr, 3);
	assert_string_equal(order.items[0], "Maria Silva");
	assert_string_equal(order.items[1], "Nadia Ali");
	assert_string_equal(order.items[2], "Tomás Ruiz");
	assert_string_equal(speaker_role_name(sl.items[0].role), "host");
	assert_string_equal(speaker_role_name(sl.items[2].role), "guest");
	strlist_release(&order);
	strlist_release(&voices);
	speaker_list_release(&sl);
}

static void nothing_known_gives_empty_list(void **state)
{
	struct speaker_list sl = SPEAKER_LIST_INIT;
	struct episode ep = { 0 };

	(void)state;
	assert_int_equal(speakers_detect(NULL, NULL, NULL, NULL, &sl), 0);
	assert_int_equal(sl.nr, 0);
	assert_int_equal(speakers_detect(NULL, &ep, NULL, NULL, &sl), 0);
	assert_int_equal(sl.nr, 0);
	speaker_list_release(&sl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(guests_from_title_patterns),
		cmocka_unit_test(titles_without_guests),
		cmocka_unit_test(show_name_words_are_never_guests),
		cmocka_unit_test(guests_from_description),
		cmocka_unit_test(person_names_and_organisations),
		cmocka_unit_test(author_fields_split_into_people),
		cmocka_unit_test(same_person_rule),
		cmocka_unit_test(junk_text_is_handled),
		cmocka_unit_test(detect_from_person_tags),
		cmocka_unit_test(detect_itunes_hosts_and_org_authors),
		cmocka_unit_test(host_is_never_guest),
		cmocka_unit_test(known_hosts_and_auto_off),
		cmocka_unit_test(manual_names_override_everything),
		cmocka_unit_test(screenplay_order_puts_hosts_first),
		cmocka_unit_test(nothing_known_gives_empty_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
