/*
 * speakers_intro.c - names from what is said at the start of an episode:
 * "I'm joined by Jordan Park", "my guest today is ...", "welcome back,
 * Priya", "I'm your host, Cam", "I'm Ethan and this is ...", "thanks for
 * having me, Ethan".
 *
 * Works on punctuated published text and on the recognizer's text alike.
 * Recognizer text has no commas and its capitals are unreliable ("David
 * brown", "maria Lopez": only words it knows as proper nouns get one), so
 * there, whatever the case, up to three words after an introduction that
 * are not common words are taken as the name and capitalised.
 */
#include "speakers/sp_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum intro_kind { INTRO_GUEST, INTRO_HOST, INTRO_HOST_BY_GUEST };

struct intro_phrase {
	const char *words;
	enum intro_kind kind;
};

/* Longer phrases first: the first that matches at a word wins. */
static const struct intro_phrase phrases[] = {
	{ "my guest this week is", INTRO_GUEST },
	{ "my guests today are", INTRO_GUEST },
	{ "our guests today are", INTRO_GUEST },
	{ "my guest today is", INTRO_GUEST },
	{ "our guest today is", INTRO_GUEST },
	{ "welcome back to the show", INTRO_GUEST },
	{ "thank you for joining us", INTRO_GUEST },
	{ "thank you for having me", INTRO_HOST_BY_GUEST },
	{ "thanks for having me", INTRO_HOST_BY_GUEST },
	{ "thanks for joining us", INTRO_GUEST },
	{ "thanks for joining me", INTRO_GUEST },
	{ "thanks for coming on", INTRO_GUEST },
	{ "welcome to the show", INTRO_GUEST },
	{ "i'm joined today by", INTRO_GUEST },
	{ "great to have you", INTRO_GUEST },
	{ "with me today is", INTRO_GUEST },
	{ "today's guest is", INTRO_GUEST },
	{ "my guests are", INTRO_GUEST },
	{ "my guest is", INTRO_GUEST },
	{ "our guest is", INTRO_GUEST },
	{ "with me is", INTRO_GUEST },
	{ "please welcome", INTRO_GUEST },
	{ "welcome back", INTRO_GUEST },
	{ "joined by", INTRO_GUEST },
	{ "welcome", INTRO_GUEST },
	{ "this is your host", INTRO_HOST },
	{ "i am your host", INTRO_HOST },
	{ "i'm your host", INTRO_HOST },
	{ "with your host", INTRO_HOST },
};

/* Lower-case words that never start or continue a name said aloud. */
static const char *const spoken_stop[] = {
	"again", "also", "author", "back", "delighted", "everybody", "everyone",
	"excited", "folks", "glad", "happy", "here", "honored", "honoured", "joined",
	"listeners", "lucky", "one", "pleased", "really", "so", "that", "there",
	"three", "thrilled", "two", "uh", "um", "very", "which", "who", "whose", "will",
};

/* Case-insensitive word match where ’ (U+2019) stands for '. */
static bool word_eq(const struct tok *t, const char *w, size_t wl)
{
	size_t i = 0, k = 0;

	while (i < t->len && k < wl) {
		if (w[k] == '\'' && t->len - i >= 3 && !memcmp(t->s + i, "\xe2\x80\x99", 3)) {
			i += 3;
			k++;
			continue;
		}
		if ((t->s[i] | 0x20) != (w[k] | 0x20) || (unsigned char)t->s[i] >= 0x80)
			return false;
		i++;
		k++;
	}
	return i == t->len && k == wl;
}

/* Does phrase start at token i?  *end gets the token after it. */
static bool phrase_at(const struct toks *t, size_t i, const char *phrase, size_t *end)
{
	const char *p = phrase;

	while (*p) {
		size_t wl = strcspn(p, " ");

		if (i >= t->n || !word_eq(&t->v[i], p, wl))
			return false;
		if (p[wl] && t->v[i].after == '.')
			return false;
		i++;
		p += wl + (p[wl] == ' ');
	}
	*end = i;
	return true;
}

static bool is_spoken_stop(const struct tok *t)
{
	for (size_t i = 0; i < ARRAY_SIZE(spoken_stop); i++)
		if (sp_tok_is(t, spoken_stop[i]))
			return true;
	return false;
}

static bool loose_name_word(const struct tok *t)
{
	if (t->len < 2 || sp_is_contraction(t) || sp_is_not_name(t) || is_spoken_stop(t) ||
	    sp_is_role(t) || sp_tok_is(t, "i"))
		return false;
	if (t->len > 4 && !strncasecmp(t->s + t->len - 3, "ing", 3))
		return false;     /* "talking", "joining" */
	for (size_t i = 0; i < t->len; i++)
		if (!((t->s[i] | 0x20) >= 'a' && (t->s[i] | 0x20) <= 'z') && t->s[i] != '-')
			return false;
	return true;
}

static char upper_ascii(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
}

/* Recognizer text: "jordan park who ..." -> "Jordan Park". */
static size_t take_loose_name(struct scan *sc, size_t j, struct strlist *out)
{
	struct sbuf sb = SBUF_INIT(SPEAKERS_NAME_MAX);
	size_t k = j;

	while (k < sc->t.n && k - j < 3 && loose_name_word(&sc->t.v[k])) {
		const struct tok *t = &sc->t.v[k++];

		sbuf_addf(&sb, "%s%c%.*s", sb.len ? " " : "", upper_ascii(t->s[0]),
			  (int)t->len - 1, t->s + 1);
		if (t->after)
			break;
	}
	if (sb.len && !strlist_has(out, sb.buf))
		strlist_push(out, sb.buf);
	sbuf_release(&sb);
	return k;
}

/* One capitalised first name said alone: "I'm your host, Cam." */
static size_t take_first_name(struct scan *sc, size_t j, struct strlist *out)
{
	const struct tok *v = sc->t.v;

	if (!sp_name_word_ok(sc, &v[j]) || sp_is_contraction(&v[j]) || sp_is_honorific(&v[j]))
		return j;
	if (!v[j].after && j + 1 < sc->t.n && sp_is_capitalised(&v[j + 1]))
		return j;
	sp_push_span(sc, j, j + 1, out);
	return j + 1;
}

/*
 * The names that follow an introduction at j; returns the token after them.
 * A capitalised name comes first ("tailor Sam de Jong", "Dr. Lena Vogel");
 * then one first name, or in loose text any words that may be a name.
 */
static size_t take_said_names(struct scan *sc, size_t j, bool loose, struct strlist *out)
{
	size_t d, e;

	while (j + 1 < sc->t.n && !sc->t.v[j].after &&
	       (sp_is_role(&sc->t.v[j]) || sp_tok_is(&sc->t.v[j], "the")))
		j++;
	if (j >= sc->t.n)
		return j;
	d = sp_skip_descriptor(sc, j);
	if ((e = sp_take_names(sc, d, out)) > d)
		return e;
	if (d > j && (e = sp_take_names(sc, j, out)) > j)
		return e;
	return loose ? take_loose_name(sc, j, out) : take_first_name(sc, j, out);
}

/* "I'm Ethan Park and this is ...", "welcome to X, I'm Ethan". */
static bool host_follows(const struct toks *t, size_t i, size_t e)
{
	static const char *const after[] = {
		"and this is", "and welcome", "your host", "and i'm your host",
		"and you're listening", "and you are listening",
	};
	size_t end;

	/* the list reader stops past "and" in "Ethan Park, and this is" */
	if (e > i && e <= t->n && sp_tok_is(&t->v[e - 1], "and"))
		e--;
	for (size_t k = 0; k < ARRAY_SIZE(after); k++)
		if (phrase_at(t, e, after[k], &end))
			return true;
	for (size_t k = i; k > 0 && i - k < 12 && t->v[k - 1].after != '.'; k--)
		if (phrase_at(t, k - 1, "welcome to", &end) ||
		    phrase_at(t, k - 1, "listening to", &end))
			return true;
	return false;
}

static void take_im_host(struct scan *sc, size_t i, bool loose, struct sp_intro *in)
{
	struct strlist found = STRLIST_INIT;
	size_t j = i + 1, e;

	if (sp_tok_is(&sc->t.v[i], "i")) {
		if (j >= sc->t.n || !sp_tok_is(&sc->t.v[j], "am"))
			return;
		j++;
	}
	if (j >= sc->t.n || !sp_is_capitalised(&sc->t.v[j]))
		return;     /* "I'm glad", "I'm joined": a name after I'm has a capital */
	e = take_said_names(sc, j, loose, &found);
	if (found.nr == 1 && host_follows(&sc->t, i, e)) {
		strlist_push(&in->hosts, found.items[0]);
		in->speaker_hosts = true;
	}
	strlist_release(&found);
}

static void take_phrase(struct scan *sc, size_t i, bool loose, struct sp_intro *in)
{
	size_t j;

	for (size_t k = 0; k < ARRAY_SIZE(phrases); k++) {
		const struct intro_phrase *p = &phrases[k];
		size_t before;

		if (!phrase_at(&sc->t, i, p->words, &j))
			continue;
		before = in->guests.nr;
		/* the name belongs to the same sentence as the introduction */
		if (sc->t.v[j - 1].after != '.')
			take_said_names(sc, j, loose,
					p->kind == INTRO_GUEST ? &in->guests : &in->hosts);
		if (p->kind == INTRO_HOST || in->guests.nr > before)
			in->speaker_hosts = true;
		if (p->kind == INTRO_HOST_BY_GUEST)
			in->speaker_guests = true;
		return;
	}
	if (word_eq(&sc->t.v[i], "i'm", 3) || word_eq(&sc->t.v[i], "i", 1))
		take_im_host(sc, i, loose, in);
}

void sp_intro_scan(const char *text, const char *show_title, struct sp_intro *in)
{
	size_t len = text ? strlen(text) : 0;
	struct scan sc;
	bool loose;

	if (!len)
		return;
	if (len > SPEAKERS_TEXT_MAX)
		len = SPEAKERS_TEXT_MAX;
	loose = !strchr(text, ',');
	sp_scan_init(&sc, text, len, show_title);
	for (size_t i = 0; i < sc.t.n; i++)
		take_phrase(&sc, i, loose, in);
	sp_scan_release(&sc);
}

void sp_intro_release(struct sp_intro *in)
{
	strlist_release(&in->hosts);
	strlist_release(&in->guests);
}
