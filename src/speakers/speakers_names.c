/*
 * speakers_names.c - telling person names from everything else in author
 * fields, titles and descriptions; see speakers.h for the heuristics.
 *
 * Text is cut into word tokens that remember the punctuation that followed
 * them, because punctuation is what ends a name ("with Jane Doe, author of")
 * and what separates a list ("Jane Doe & John Smith").  Letter classes come
 * from glibc's C.UTF-8 locale so that "Ú" and "Zoë" are judged like "U"
 * and "Zoe" without changing the process locale.
 */
#include "speakers/speakers.h"
#include "speakers/sp_internal.h"
#include "util/sbuf.h"
#include "util/utf8.h"

#include <locale.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wctype.h>

/* ---- letters ---------------------------------------------------------- */

static locale_t utf8_locale;
static pthread_once_t utf8_once = PTHREAD_ONCE_INIT;

static void utf8_locale_init(void)
{
	utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

static locale_t u8loc(void)
{
	pthread_once(&utf8_once, utf8_locale_init);
	return utf8_locale;
}

static bool is_upper(uint32_t c)
{
	locale_t l = u8loc();

	if (c < 0x80 || !l)
		return c >= 'A' && c <= 'Z';
	return iswupper_l((wint_t)c, l);
}

static bool is_alpha(uint32_t c)
{
	locale_t l = u8loc();

	if (c < 0x80 || !l)
		return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
	return iswalpha_l((wint_t)c, l);
}

static uint32_t to_lower(uint32_t c)
{
	locale_t l = u8loc();

	if (c < 0x80 || !l)
		return (c >= 'A' && c <= 'Z') ? c + 32 : c;
	return (uint32_t)towlower_l((wint_t)c, l);
}

/* ---- tokens ------------------------------------------------------------ */

bool sp_tok_is(const struct tok *t, const char *w)
{
	return strlen(w) == t->len && !strncasecmp(t->s, w, t->len);
}

static bool tok_in(const struct tok *t, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (sp_tok_is(t, list[i]))
			return true;
	return false;
}

/* Abbreviations whose final period belongs to the word. */
static const char *const dotted[] = {
	"dr", "prof", "mr", "mrs", "ms", "mx", "st", "jr", "sr", "rev", "feat", "ft",
};

static size_t utf8_punct_len(const char *s, const char *end, bool leading)
{
	static const char *const lead[] = {
		"\xe2\x80\x9c", "\xe2\x80\x98", "\xc2\xab", "\xc2\xbf", "\xc2\xa1",
	};
	static const char *const trail[] = {
		"\xe2\x80\x9d", "\xe2\x80\x99", "\xc2\xbb", "\xe2\x80\xa6",
	};
	const char *const *set = leading ? lead : trail;
	size_t n = leading ? ARRAY_SIZE(lead) : ARRAY_SIZE(trail);

	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(set[i]);
		if ((size_t)(end - s) >= l && !memcmp(s, set[i], l))
			return l;
	}
	return 0;
}

static char dash_or_bar(const char *s, size_t len)
{
	if ((len == 1 && (*s == '-' || *s == '|' || *s == '/')) ||
	    (len == 3 && (!memcmp(s, "\xe2\x80\x93", 3) || !memcmp(s, "\xe2\x80\x94", 3))))
		return *s == '|' ? '|' : '-';
	if (len == 1 && *s == '&')
		return '&';
	if (len == 2 && !memcmp(s, "--", 2))
		return '-';
	return 0;
}

/* Strips trailing punctuation off [s, *end) and returns what it stood for. */
static char strip_trailing(const char *s, const char **end)
{
	char after = 0;

	while (*end > s) {
		const char *e = *end;
		size_t ul = 0;

		for (size_t l = 2; l <= 3 && !ul; l++)
			if ((size_t)(e - s) >= l && utf8_punct_len(e - l, e, false) == l)
				ul = l;
		if (ul) {
			*end -= ul;
			after = '.';
			continue;
		}
		if (!strchr(",.:;!?)]}\"'", e[-1]))
			break;
		after = e[-1] == '!' || e[-1] == '?' || e[-1] == ')' || e[-1] == ']' ||
			e[-1] == '}' || e[-1] == '"' || e[-1] == '\'' ? '.' : e[-1];
		*end -= 1;
	}
	return after;
}

static void toks_add_chunk(struct toks *t, const char *s, const char *e)
{
	char sep = dash_or_bar(s, (size_t)(e - s));
	char after;
	size_t l = 0;

	if (sep) {
		if (t->n && !t->v[t->n - 1].after)
			t->v[t->n - 1].after = sep;
		return;
	}
	while (s < e && (strchr("\"'([{", *s) || (l = utf8_punct_len(s, e, true))))
		s += strchr("\"'([{", *s) ? 1 : l;
	after = strip_trailing(s, &e);
	if (s == e) {
		if (t->n && !t->v[t->n - 1].after)
			t->v[t->n - 1].after = after ? after : '.';
		return;
	}
	PC_GROW(t->v, t->alloc, t->n + 1);
	t->v[t->n] = (struct tok){ s, (size_t)(e - s), after };
	/* "Dr." keeps its period: it belongs to the word, not the sentence. */
	if (after == '.' && e[0] == '.') {
		struct tok *k = &t->v[t->n];
		if (k->len == 1 || tok_in(k, dotted, ARRAY_SIZE(dotted))) {
			k->len++;
			k->after = 0;
		}
	}
	t->n++;
}

static void toks_split(const char *text, size_t len, struct toks *t)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *s;

		while (p < end && strchr(" \t\r\n\f\v", *p))
			p++;
		s = p;
		while (p < end && !strchr(" \t\r\n\f\v", *p))
			p++;
		if (p > s)
			toks_add_chunk(t, s, p);
	}
}

/* ---- word classes ------------------------------------------------------ */

static const char *const honorifics[] = {
	"dr", "dr.", "prof", "prof.", "professor", "sir", "dame", "mr", "mr.", "mrs",
	"mrs.", "ms", "ms.", "mx", "mx.", "rev", "rev.", "lord", "lady",
};

static const char *const particles[] = {
	"al", "bin", "da", "das", "de", "del", "della", "den", "der", "di", "do",
	"dos", "du", "ibn", "la", "le", "ten", "ter", "van", "von", "y",
};

static const char *const suffixes[] = { "jr.", "sr.", "jr", "sr", "ii", "iii", "iv" };

/* Capitalised words that are not names: title, calendar and topic words. */
static const char *const not_names[] = {
	"a", "about", "after", "ai", "all", "america", "an", "and", "april", "are",
	"art", "at", "august", "autumn", "before", "behind", "best", "big", "bonus",
	"business", "by", "chapter", "city", "county", "fort", "island", "lake", "las", "los",
	"mount", "port", "river", "road", "route", "san", "santa", "state", "street", "trip",
	"valley", "chat", "christmas", "classic", "climate",
	"complete", "conversation", "conversations", "data", "debate", "december",
	"deep", "design", "edition", "encore", "episode", "ep", "europe", "everyone",
	"extra", "fall", "february", "finale", "first", "for", "free", "friday",
	"friends", "from", "future", "good", "great", "guest", "guests", "he",
	"health", "her", "highlights", "his", "history", "holiday", "host", "hosts",
	"how", "i", "in", "inside", "interview", "intro", "introduction", "is", "it",
	"january", "july", "june", "last", "life", "live", "love", "mailbag",
	"march", "may", "me", "minisode", "monday", "money", "more", "morning",
	"music", "my", "new", "news", "next", "night", "no", "not", "november", "now",
	"october", "of", "on", "or", "our", "panel", "part", "plus", "podcast",
	"politics", "premiere", "preview", "q&a", "real", "recap", "replay", "rerun",
	"review", "round", "roundup", "saturday", "science", "season", "september",
	"she", "show", "some", "special", "spring", "stories", "story", "summer",
	"sunday", "talk", "team", "tech", "technology", "that", "the", "their",
	"they", "this", "thursday", "to", "today", "tonight", "top", "trailer",
	"tuesday", "ultimate", "update", "us", "versus", "vol", "volume", "vs",
	"we", "wednesday", "week", "weekly", "what", "when", "where", "who", "why",
	"winter", "with", "world", "year", "yes", "you", "your",
};

/*
 * Topic words common in titles ("Fun with Machine Learning"); surnames such
 * as Law or Power are left out.
 */
static const char *const topic_words[] = {
	"answers", "artificial", "basketball", "biology", "bitcoin", "blockchain", "books",
	"careers", "chemistry", "cloud", "code", "coding", "comedy", "computing", "crime",
	"crypto", "culture", "economics", "education", "energy", "engineering", "family",
	"fiction", "film", "finance", "fitness", "food", "football", "games", "gaming",
	"guide", "horror", "ideas", "intelligence", "java", "javascript", "jobs",
	"leadership", "learning", "lessons", "linux", "machine", "marketing", "math",
	"mental", "movies", "murder", "mystery", "notes", "nutrition", "parenting",
	"philosophy", "physics", "policy", "product", "programming", "psychology",
	"python", "quantum", "questions", "relationships", "religion", "remote", "robotics",
	"robots", "rules", "rust", "secrets", "security", "sleep", "soccer", "software",
	"space", "sports", "startup", "startups", "systems", "thoughts", "tips", "travel",
	"tricks", "true", "war", "web", "work",
};

/* Words that make an author an organisation. */
static const char *const org_words[] = {
	"agency", "association", "audio", "broadcasting", "channel", "church", "club",
	"co", "co.", "collective", "college", "company", "corp", "corp.",
	"corporation", "daily", "digital", "editors", "entertainment", "films", "fm",
	"foundation", "gmbh", "group", "hq", "inc", "inc.", "institute", "journal",
	"lab", "labs", "llc", "llp", "ltd", "ltd.", "magazine", "media", "ministries",
	"network", "networks", "news", "official", "partners", "pictures", "plc",
	"podcast", "podcasts", "press", "production", "productions", "project",
	"publishing", "radio", "records", "show", "society", "staff", "studio",
	"studios", "team", "times", "tv", "university",
};

/*
 * Roles written before a name ("Coach Sophie van Dalen", "author Jane Doe"):
 * they introduce a guest and are not part of the name.
 */
static const char *const role_words[] = {
	"activist", "actor", "actress", "analyst", "architect", "artist", "astronaut",
	"astronomer", "athlete", "attorney", "author", "baker", "biologist", "ceo",
	"chef", "co-founder", "coach", "comedian", "consultant", "cto", "designer",
	"developer", "dietitian", "director", "doctor", "economist", "engineer",
	"entrepreneur", "epidemiologist", "expert", "farmer", "filmmaker", "founder",
	"historian", "investor", "journalist", "lawyer", "mathematician", "mayor",
	"musician", "neuroscientist", "novelist", "nurse", "nutritionist", "olympian",
	"philosopher", "photographer", "physician", "physicist", "poet", "psychiatrist",
	"psychologist", "rapper", "reporter", "researcher", "scientist", "senator",
	"singer", "songwriter", "strategist", "surgeon", "teacher", "therapist",
	"trainer", "veteran", "writer",
};

static bool ends_with(const struct tok *t, const char *suffix)
{
	size_t n = strlen(suffix);

	return t->len > n + 2 && !strncasecmp(t->s + t->len - n, suffix, n);
}

bool sp_is_role(const struct tok *t)
{
	/* glaciologist, cartographer, statistician */
	return tok_in(t, role_words, ARRAY_SIZE(role_words)) || ends_with(t, "logist") ||
	       ends_with(t, "ographer") || ends_with(t, "ician");
}

bool sp_is_honorific(const struct tok *t)
{
	return is_upper((unsigned char)t->s[0]) && tok_in(t, honorifics, ARRAY_SIZE(honorifics));
}

bool sp_is_particle(const struct tok *t)
{
	return !is_upper((unsigned char)t->s[0]) && tok_in(t, particles, ARRAY_SIZE(particles));
}

static bool is_suffix(const struct tok *t)
{
	return tok_in(t, suffixes, ARRAY_SIZE(suffixes));
}

bool sp_is_not_name(const struct tok *t)
{
	return tok_in(t, not_names, ARRAY_SIZE(not_names)) ||
	       tok_in(t, topic_words, ARRAY_SIZE(topic_words)) ||
	       tok_in(t, org_words, ARRAY_SIZE(org_words));
}

/* "Ana", "Zoë", "O'Brien-Smith", "J.": a capital, then letters, ' ’ - . */
bool sp_is_capitalised(const struct tok *t)
{
	const char *p = t->s, *end = t->s + t->len;
	bool first = true;

	while (p < end) {
		uint32_t c = utf8_next(&p, end);

		if (first && !is_upper(c))
			return false;
		first = false;
		if (!is_alpha(c) && c != '\'' && c != 0x2019 && c != '-' &&
		    !(c == '.' && p == end))
			return false;
	}
	return !first;
}

/* Two or more letters and no lower-case one: "NPR", "WNYC". */
static bool is_acronym(const struct tok *t)
{
	const char *p = t->s, *end = t->s + t->len;
	size_t letters = 0;

	while (p < end) {
		uint32_t c = utf8_next(&p, end);

		if (is_alpha(c) && !is_upper(c))
			return false;
		letters += is_alpha(c);
	}
	return letters >= 2;
}

void sp_casefold(const char *s, size_t len, struct sbuf *out)
{
	const char *p = s, *end = s + len;

	sbuf_reset(out);
	while (p < end) {
		utf8_add(out, to_lower(utf8_next(&p, end)));
	}
}

/* ---- names ------------------------------------------------------------- */

static bool is_show_word(struct scan *sc, const struct tok *t)
{
	if (!sc->show_words.nr)
		return false;
	sp_casefold(t->s, t->len, &sc->tmp);
	return strlist_has(&sc->show_words, sc->tmp.buf);
}

/* "I'm", "We're", "It's": a contraction is never part of a name. */
bool sp_is_contraction(const struct tok *t)
{
	for (size_t i = t->len; i > 1; i--)
		if (t->s[i - 1] == '\'' || (i >= 3 && !memcmp(t->s + i - 3, "\xe2\x80\x99", 3)))
			return t->len - i <= 2;
	return false;
}

bool sp_name_word_ok(struct scan *sc, const struct tok *t)
{
	return !sp_is_contraction(t) && sp_is_capitalised(t) && !sp_is_not_name(t) &&
	       !is_show_word(sc, t) &&
	       (!is_acronym(t) || is_suffix(t)) && t->s[t->len - 1] != '-';
}

/* Is tokens [i, e) one person's name?  See speakers.h for the rule. */
static bool span_is_name(struct scan *sc, size_t i, size_t e)
{
	const struct tok *v = sc->t.v;
	bool honorific = i < e && sp_is_honorific(&v[i]);
	size_t caps = 0;

	if (honorific)
		i++;
	if (i < e && e - i >= 2 && is_suffix(&v[e - 1]) && !sp_is_particle(&v[e - 1]))
		e--;
	for (size_t k = i; k < e; k++) {
		if (k + 1 < e && v[k].after)
			return false;
		if (sp_is_particle(&v[k])) {
			if (k == i || k + 1 == e)
				return false;
			continue;
		}
		if (!sp_name_word_ok(sc, &v[k]) || sp_is_honorific(&v[k]))
			return false;
		caps++;
	}
	return caps <= 4 && (caps >= 2 || (honorific && caps == 1));
}

/* End (exclusive) of the run of name-like words starting at i. */
static size_t run_end(struct scan *sc, size_t i)
{
	const struct tok *v = sc->t.v;
	size_t j = i, n = sc->t.n;

	if (j < n && sp_is_honorific(&v[j]) && !v[j].after)
		j++;
	while (j < n && j - i < 8) {
		if (j > i && sp_is_particle(&v[j]) && j + 1 < n && !v[j].after &&
		    sp_is_capitalised(&v[j + 1])) {
			j++;
			continue;
		}
		if (!sp_name_word_ok(sc, &v[j]) || (sp_is_honorific(&v[j]) && j > i))
			break;
		j++;
		if (v[j - 1].after)
			break;
	}
	return j;
}

void sp_push_span(struct scan *sc, size_t i, size_t e, struct strlist *out)
{
	const struct tok *v = sc->t.v;
	size_t len = (size_t)(v[e - 1].s + v[e - 1].len - v[i].s);
	struct sbuf sb = SBUF_INIT(SPEAKERS_NAME_MAX);

	for (size_t k = i; k < e; k++)
		if (sbuf_addf(&sb, "%s%.*s", k > i ? " " : "", (int)v[k].len, v[k].s) < 0)
			break;
	if (len <= SPEAKERS_NAME_MAX && sb.len && !strlist_has(out, sb.buf))
		strlist_push(out, sb.buf);
	sbuf_release(&sb);
}

/* Reads "X", "X and Y", "X, Y & Z" from i; returns where the list ended. */
size_t sp_take_names(struct scan *sc, size_t i, struct strlist *out)
{
	const struct tok *v = sc->t.v;
	size_t n = sc->t.n;

	while (i < n) {
		size_t e;
		char a;

		if (sp_is_role(&v[i]) && !v[i].after && i + 1 < n)
			i++;
		e = run_end(sc, i);

		if (e == i || !span_is_name(sc, i, e))
			return i;
		sp_push_span(sc, i, e, out);
		a = v[e - 1].after;
		i = e;
		if ((a == ',' || a == '&' || !a) && i < n && sp_tok_is(&v[i], "and")) {
			i++;
			continue;
		}
		if (a == ',' || a == '&')
			continue;
		return e;
	}
	return i;
}

/* "talks to X", "speaking with X" (with is a trigger of its own), "interviews X". */
static bool is_talk_trigger(const struct toks *t, size_t i)
{
	static const char *const talk[] = {
		"chats", "speaks", "speaking", "talks", "talking", "chatting",
	};
	const struct tok *k = &t->v[i];

	if (sp_tok_is(k, "interviews") || sp_tok_is(k, "interviewing"))
		return !k->after;
	return sp_tok_is(k, "to") && !k->after && i > 0 && !t->v[i - 1].after &&
	       tok_in(&t->v[i - 1], talk, ARRAY_SIZE(talk));
}

static bool is_forward_trigger(const struct toks *t, size_t i)
{
	static const char *const with[] = { "with", "featuring", "feat.", "feat", "ft.", "ft" };
	static const char *const guest[] = { "guest", "guests" };
	const struct tok *k = &t->v[i];

	if (tok_in(k, with, ARRAY_SIZE(with)))
		return !k->after || k->after == ':';
	if (tok_in(k, guest, ARRAY_SIZE(guest)))
		return !k->after || k->after == ':';
	if ((sp_is_role(k) && !k->after) || is_talk_trigger(t, i))
		return true;
	return sp_tok_is(k, "by") && !k->after && i > 0 && sp_tok_is(&t->v[i - 1], "joined");
}

size_t sp_skip_descriptor(struct scan *sc, size_t j)
{
	const struct tok *v = sc->t.v;

	if (j + 1 >= sc->t.n || v[j].after || sp_is_particle(&v[j]) ||
	    !sp_is_capitalised(&v[j + 1]))
		return j;
	for (size_t i = 0; i < v[j].len; i++)
		if (v[j].s[i] < 'a' || v[j].s[i] > 'z')
			return j;
	return j + 1;
}

/* "X joins us", "X join us", "X joins me", "X joins the show". */
static void take_joins(struct scan *sc, size_t k, struct strlist *out)
{
	const struct tok *v = sc->t.v;
	size_t s = k;

	while (s > 0 && k - s < 6 && !v[s - 1].after &&
	       (sp_name_word_ok(sc, &v[s - 1]) || sp_is_particle(&v[s - 1]) ||
		sp_is_honorific(&v[s - 1])))
		s--;
	for (; s < k; s++) {
		if (span_is_name(sc, s, k)) {
			sp_push_span(sc, s, k, out);
			return;
		}
	}
}

static bool is_joins(const struct toks *t, size_t i)
{
	return (sp_tok_is(&t->v[i], "joins") || sp_tok_is(&t->v[i], "join")) && i + 1 < t->n &&
	       (sp_tok_is(&t->v[i + 1], "us") || sp_tok_is(&t->v[i + 1], "me") ||
		sp_tok_is(&t->v[i + 1], "the"));
}

/* "Building Compilers on Linux" reads like a name but is a topic. */
static bool has_gerund(const struct tok *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].len > 4 && !strncasecmp(v[i].s + v[i].len - 3, "ing", 3))
			return true;
	return false;
}

/* Title only: "Dr. Ana Lima on sleep science" at the start or after "Ep 12:". */
static void take_on_topic(struct scan *sc, struct strlist *out)
{
	const struct tok *v = sc->t.v;

	for (size_t s = 0; s < sc->t.n; s++) {
		struct strlist found = STRLIST_INIT;
		size_t e;

		if (s > 0 && !(v[s - 1].after && strchr(":|-.", v[s - 1].after)))
			continue;
		e = sp_take_names(sc, s, &found);
		if (found.nr && e < sc->t.n && !v[e - 1].after && sp_tok_is(&v[e], "on") &&
		    !has_gerund(v + s, e - s))
			for (size_t i = 0; i < found.nr; i++)
				if (!strlist_has(out, found.items[i]))
					strlist_push(out, found.items[i]);
		strlist_release(&found);
	}
}

/* Title only: "The Future of AI | Sam Altman", "Part 2 - Jane Doe". */
static void take_tail(struct scan *sc, struct strlist *out)
{
	struct strlist found = STRLIST_INIT;
	size_t p = sc->t.n;

	while (p > 0 && sc->t.v[p - 1].after != '|' && sc->t.v[p - 1].after != '-')
		p--;
	if (p > 0 && p < sc->t.n && sp_take_names(sc, p, &found) == sc->t.n)
		for (size_t i = 0; i < found.nr; i++)
			if (!strlist_has(out, found.items[i]))
				strlist_push(out, found.items[i]);
	strlist_release(&found);
}

void sp_scan_init(struct scan *sc, const char *text, size_t len, const char *show)
{
	memset(sc, 0, sizeof(*sc));
	sbuf_init(&sc->tmp, SBUF_NOLIMIT);
	if (show) {
		struct toks st = { 0 };

		toks_split(show, strlen(show), &st);
		for (size_t i = 0; i < st.n; i++) {
			sp_casefold(st.v[i].s, st.v[i].len, &sc->tmp);
			strlist_push(&sc->show_words, sc->tmp.buf);
		}
		free(st.v);
	}
	toks_split(text, len, &sc->t);
}

void sp_scan_release(struct scan *sc)
{
	free(sc->t.v);
	strlist_release(&sc->show_words);
	sbuf_release(&sc->tmp);
}

void speakers_names_in_text(const char *text, bool is_title, const char *show_title,
			    struct strlist *out)
{
	size_t len = text ? strlen(text) : 0;
	struct scan sc;

	if (!len)
		return;
	if (len > SPEAKERS_TEXT_MAX)
		len = SPEAKERS_TEXT_MAX;
	sp_scan_init(&sc, text, len, show_title);
	for (size_t i = 0; i < sc.t.n; i++) {
		if (is_forward_trigger(&sc.t, i) && i + 1 < sc.t.n)
			sp_take_names(&sc, sp_skip_descriptor(&sc, i + 1), out);
		else if (i > 0 && !sc.t.v[i - 1].after && is_joins(&sc.t, i))
			take_joins(&sc, i, out);
	}
	if (is_title) {
		take_on_topic(&sc, out);
		take_tail(&sc, out);
	}
	sp_scan_release(&sc);
}

bool speakers_is_person_name(const char *s)
{
	struct scan sc;
	bool ok;

	if (!s || strlen(s) > SPEAKERS_NAME_MAX)
		return false;
	sp_scan_init(&sc, s, strlen(s), NULL);
	ok = sc.t.n && span_is_name(&sc, 0, sc.t.n) && !sp_is_not_name(&sc.t.v[0]);
	sp_scan_release(&sc);
	return ok;
}

static bool is_sep(char a)
{
	return a && strchr(",;&-|", a);
}

void speakers_split_authors(const char *s, struct strlist *out)
{
	struct scan sc;
	size_t i = 0, len = s ? strlen(s) : 0;

	if (!len)
		return;
	sp_scan_init(&sc, s, len > SPEAKERS_TEXT_MAX ? SPEAKERS_TEXT_MAX : len, NULL);
	while (i < sc.t.n) {
		size_t e = i;

		while (e < sc.t.n && !sp_tok_is(&sc.t.v[e], "and"))
			if (is_sep(sc.t.v[e++].after))
				break;
		if (e > i && span_is_name(&sc, i, e))
			sp_push_span(&sc, i, e, out);
		i = e < sc.t.n && sp_tok_is(&sc.t.v[e], "and") ? e + 1 : e;
	}
	sp_scan_release(&sc);
}

/* Case-folded words of a name, honorifics, particles and suffixes left out. */
static void name_words(const char *name, bool particles, struct strlist *out)
{
	struct scan sc;

	sp_scan_init(&sc, name, strlen(name), NULL);
	for (size_t i = 0; i < sc.t.n; i++) {
		const struct tok *t = &sc.t.v[i];

		if (sp_is_honorific(t) || (!particles && sp_is_particle(t)) || is_suffix(t))
			continue;
		sp_casefold(t->s, t->len, &sc.tmp);
		strlist_push(out, sc.tmp.buf);
	}
	sp_scan_release(&sc);
}

void sp_name_key_words(const char *name, struct strlist *out)
{
	name_words(name, false, out);
}

void sp_name_all_words(const char *name, struct strlist *out)
{
	name_words(name, true, out);
}

static bool words_subset(const struct strlist *a, const struct strlist *b)
{
	for (size_t i = 0; i < a->nr; i++)
		if (!strlist_has(b, a->items[i]))
			return false;
	return a->nr > 0;
}

bool speakers_same_person(const char *a, const char *b)
{
	struct strlist wa = STRLIST_INIT, wb = STRLIST_INIT;
	bool same;

	if (!a || !b)
		return false;
	sp_name_key_words(a, &wa);
	sp_name_key_words(b, &wb);
	same = !strcasecmp(a, b) || words_subset(&wa, &wb) || words_subset(&wb, &wa);
	strlist_release(&wa);
	strlist_release(&wb);
	return same;
}
