/*
 * sp_internal.h - what the files of the speakers module share: the word
 * tokens of a text and the name rules over them (speakers_names.c), and the
 * gathering of hosts and guests (speakers.c) that the transcript analysis
 * (speakers_transcript.c, speakers_intro.c) adds to.  Not a public header.
 */
#ifndef SP_INTERNAL_H
#define SP_INTERNAL_H

#include "speakers/speakers.h"
#include "util/sbuf.h"

/* A word and the punctuation that followed it. */
struct tok {
	const char *s;
	size_t len;
	char after;     /* punctuation after the word: 0, ',', '.', ':', '|', '-', '&', ';' */
};

struct toks {
	struct tok *v;
	size_t n;
	size_t alloc;
};

/* A text cut into tokens, with the show's words that never make a name. */
struct scan {
	struct toks t;
	struct strlist show_words;    /* case-folded words of the show title */
	struct sbuf tmp;
};

/* Cuts len bytes of text into sc (show may be NULL); release with sp_scan_release. */
void sp_scan_init(struct scan *sc, const char *text, size_t len, const char *show);
void sp_scan_release(struct scan *sc);

bool sp_tok_is(const struct tok *t, const char *w);
bool sp_is_honorific(const struct tok *t);
bool sp_is_particle(const struct tok *t);
bool sp_is_not_name(const struct tok *t);
/* "coach", "chef", "author": a role written before a guest's name. */
bool sp_is_role(const struct tok *t);
bool sp_is_capitalised(const struct tok *t);
/* "I'm", "It's": a word with a short ending after an apostrophe. */
bool sp_is_contraction(const struct tok *t);
/* A capitalised word that may be part of a name (not a title or show word). */
bool sp_name_word_ok(struct scan *sc, const struct tok *t);
/* Lower-case UTF-8 of [s, s+len) into out (reset first). */
void sp_casefold(const char *s, size_t len, struct sbuf *out);
/* Appends tokens [i, e) joined by spaces to out, unless already there. */
void sp_push_span(struct scan *sc, size_t i, size_t e, struct strlist *out);
/* Past one lower-case word before a capitalised one ("tailor Sam de Jong"):
 * an open-ended role or descriptor between an introduction and a name. */
size_t sp_skip_descriptor(struct scan *sc, size_t j);
/* Reads "X", "X and Y", "X, Y & Z" from i into out; returns where it ended. */
size_t sp_take_names(struct scan *sc, size_t i, struct strlist *out);

/* Case-folded words of a name, honorifics, particles and suffixes left out. */
void sp_name_key_words(const char *name, struct strlist *out);
/* The same with particles kept ("van", "de"). */
void sp_name_all_words(const char *name, struct strlist *out);
/* "Speaker 1", "SPEAKER_00", "Host", "Narrator": labels, not people. */
bool sp_is_generic_label(const char *v);

/* Words separated by spaces in s. */
size_t sp_count_words(const char *s);

/* The hosts and guests found so far; see speakers.c. */
struct gather {
	struct speaker_list hosts;
	struct speaker_list guests;
};

void sp_add_host(struct gather *g, const char *name, enum speaker_source src);
void sp_add_guest(struct gather *g, const char *name, enum speaker_source src);
/* Hosts and guests named by person tags, authors and known_hosts ... */
void sp_gather_feed(struct gather *g, const struct feed *f, const struct episode *ep,
		    const struct strlist *known);
/* ... and guests named in the episode's title and description. */
void sp_gather_text(struct gather *g, const struct feed *f, const struct episode *ep);
/* speaker_names, or known_hosts alone with auto_speakers off: true when it
 * decided; false means detect automatically. */
bool sp_gather_fixed(struct gather *g, const struct speakers_options *o);
/* Moves hosts then guests into out as spk_1, spk_2, ...; g is left empty. */
void sp_gather_emit(struct gather *g, struct speaker_list *out);
/* o, or the defaults when o is NULL. */
const struct speakers_options *sp_options(const struct speakers_options *o);

/* Names said in the opening of an episode ("I'm joined by Jordan Park"). */
struct sp_intro {
	struct strlist hosts;
	struct strlist guests;
	bool speaker_hosts;   /* its speaker introduces a guest or says they host */
	bool speaker_guests;  /* its speaker thanks the host for having them */
};

#define SP_INTRO_INIT { STRLIST_INIT, STRLIST_INIT, false, false }

/* Adds the names text introduces to in (show_title may be NULL). */
void sp_intro_scan(const char *text, const char *show_title, struct sp_intro *in);
void sp_intro_release(struct sp_intro *in);

#endif
