/*
 * speakers.h - who is talking in an episode: hosts and guests.
 *
 * Sources, in the order they are consulted:
 *   hosts   podcast:person role="host" (episode, then channel), the
 *           known_hosts config list, then itunes:author / itunes:owner
 *           (episode author, channel author, owner name, every feed author)
 *           unless it is a placeholder ("Test Author", "Admin", "Unknown",
 *           the show's own title, a name the feed calls a network or a
 *           production); with speakers_detect_transcript also the
 *           transcript's "Host:" header line and its introduction ("I'm
 *           your host, Cam", "I'm Ethan Park and this is ...");
 *   guests  podcast:person role="guest" (episode), then names found in the
 *           episode title and description ("with X", "feat. X", "guest: X",
 *           "guests: X and Y", "interview with X", "joined by X", "X joins
 *           us", "talks to X", a role before a name: "Coach X", "author X",
 *           "glaciologist X"; in titles only "X on <topic>" at the start and
 *           "| X" / "- X" at the end); with speakers_detect_transcript also
 *           the "Guest:" header line and introductions ("I'm joined by X",
 *           "my guest today is X", "welcome back, X");
 *   labels  WebVTT <v Name> voices and "Name:" turn labels: a label that
 *           names one person found above (first name, last name, a prefix
 *           of either) is that person; any other becomes a guest, or a host
 *           when it introduces the guest or no host is known and it speaks
 *           first (speakers_transcript.c has the details).
 *
 * Heuristics, chosen to be conservative (a missed guest costs less than an
 * invented one):
 *   - A person name is 2-4 capitalised words (any script: "Zoë", "Ana
 *     Lúcia", "O'Brien-Smith", initials "J."), optionally after an honorific
 *     that stays in the name ("Dr.", "Prof.", "Sir", "Dame", "Mr."...; an
 *     honorific plus one word, "Dr. Oz", is also a name), with particles
 *     inside ("de", "van", "von", "da", "der", "al"...) and a trailing
 *     "Jr."/"Sr."/"II"/"III".  Words that are rarely names reject a
 *     candidate: days, months, "The", "Episode", "Part", "Season", "Live",
 *     "Special", "Bonus", "Trailer", question words, common title and topic
 *     words, and every word of the show's title.
 *   - An author is an organisation, not a person, when it is a single word,
 *     contains an all-capitals acronym ("NPR", "WNYC"), a digit, or a word
 *     such as Inc, LLC, Ltd, Media, Network, Radio, Podcast, Productions,
 *     Studios, News, FM, Group, Show, or starts with "The".  Author fields
 *     are split into people on ",", ";", "&", "/" and "and".
 *   - Host names are never guests; two names are the same person when the
 *     words of one (honorifics and particles aside, case ignored) are all
 *     in the other ("Jane" = "Jane Doe" = "Dr. Jane Doe").
 *   - VTT voices that are generic labels ("Speaker 1", "SPEAKER_00",
 *     "Host", "Narrator", "Unknown") are ignored.
 *
 * speaker_names (manual) overrides everything: the first is the host, the
 * rest are guests, all with source "manual".  With auto_speakers off only
 * known_hosts (source "config") are used.  Ids are "spk_1", "spk_2"... in
 * list order, hosts first.  At most SPEAKERS_MAX speakers are kept.
 *
 * Ownership: a speaker_list owns its speakers and their strings;
 * speaker_list_release() frees them.  Inputs are only read.
 *
 *	struct speakers_options o = SPEAKERS_OPTIONS_INIT;
 *	struct speaker_list sl = SPEAKER_LIST_INIT;
 *	o.known_hosts = &cfg->known_hosts;
 *	speakers_detect(feed, ep, &o, &voices, &sl);
 *	... sl.items[i].name ...
 *	speaker_list_release(&sl);
 */
#ifndef SPEAKERS_H
#define SPEAKERS_H

#include "util/pc.h"
#include "util/strlist.h"

struct feed;
struct episode;

#define SPEAKERS_MAX 32
#define SPEAKERS_NAME_MAX 128      /* longer names are ignored */
#define SPEAKERS_TEXT_MAX 8192     /* bytes of a description that are read */

enum speaker_role { SPEAKER_HOST, SPEAKER_GUEST };

enum speaker_source {
	SPEAKER_SRC_PERSON_TAG,
	SPEAKER_SRC_ITUNES,
	SPEAKER_SRC_VTT_VOICE,
	SPEAKER_SRC_TITLE,
	SPEAKER_SRC_DESCRIPTION,
	SPEAKER_SRC_CONFIG,
	SPEAKER_SRC_MANUAL,
	SPEAKER_SRC_TRANSCRIPT,
};

struct speaker {
	char *id;                  /* "spk_1" ... */
	char *name;
	enum speaker_role role;
	enum speaker_source source;
};

struct speaker_list {
	struct speaker *items;
	size_t nr;
	size_t alloc;
};

#define SPEAKER_LIST_INIT { NULL, 0, 0 }

struct speakers_options {
	const struct strlist *known_hosts;    /* may be NULL */
	const struct strlist *speaker_names;  /* manual override, host first; may be NULL */
	bool auto_speakers;
};

#define SPEAKERS_OPTIONS_INIT { NULL, NULL, true }

/*
 * Fills out (which must be empty) with the episode's speakers, hosts first.
 * f, ep, vtt_voices may be NULL (then that source is skipped); o NULL means
 * SPEAKERS_OPTIONS_INIT.  Returns 0 (detection cannot fail; finding nobody
 * is a valid answer) or -PC_EUSAGE when out is not empty.
 */
int speakers_detect(const struct feed *f, const struct episode *ep,
		    const struct speakers_options *o, const struct strlist *vtt_voices,
		    struct speaker_list *out);

/*
 * speakers_detect with what the transcript says (see speakers_transcript.c):
 * its header lines, its turn labels and the introductions in its opening.
 * Then rewrites segs for the screenplay and the summary: the header block's
 * metadata lines are removed and every turn label that names a detected
 * person becomes that person's full name ("Priya:" -> "Priya Nair").
 * segs may be NULL.  Returns 0, or -PC_EUSAGE when out is not empty.
 */
struct segment_list;
int speakers_detect_transcript(const struct feed *f, const struct episode *ep,
			       const struct speakers_options *o, struct segment_list *segs,
			       struct speaker_list *out);
void speaker_list_release(struct speaker_list *l);

/* Names of the hosts / the guests, in list order (appended to out). */
void speakers_hosts(const struct speaker_list *l, struct strlist *out);
void speakers_guests(const struct speaker_list *l, struct strlist *out);
/* Names in screenplay order: host(s) first, then guests (appended to out). */
void speakers_names_for_screenplay(const struct speaker_list *l, struct strlist *out);

/* "host" / "guest"; "person_tag", "itunes", "vtt_voice", "title", ... */
const char *speaker_role_name(enum speaker_role r);
const char *speaker_source_name(enum speaker_source s);

/*
 * The heuristics on their own (used by speakers_detect, exposed for the
 * metadata writer and tests):
 *   speakers_is_person_name  true when s looks like one person's name;
 *   speakers_split_authors   the people in an author field ("Jane Doe and
 *                            John Smith"), organisations dropped;
 *   speakers_names_in_text   guest names found in a title (is_title) or
 *                            description; words of show_title never count
 *                            (show_title may be NULL);
 *   speakers_same_person     the partial-name rule above.
 */
bool speakers_is_person_name(const char *s);
void speakers_split_authors(const char *s, struct strlist *out);
void speakers_names_in_text(const char *text, bool is_title, const char *show_title,
			    struct strlist *out);
bool speakers_same_person(const char *a, const char *b);

#endif
