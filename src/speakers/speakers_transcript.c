/*
 * speakers_transcript.c - what a transcript says about its speakers, and
 * its turns relabelled with their full names.
 *
 *   header  the lines at its top before the first turn ("# Title",
 *           "Podcast: ...", "Episode: ...", "Recorded: ...", "Host: Ethan",
 *           "Guest: Priya") are metadata, never speakers; Host:/Guest: lines
 *           name the hosts and guests.  Keys such as Podcast or Episode are
 *           never speakers anywhere.
 *   intro   introductions in the first minutes name hosts and guests
 *           (speakers_intro.c), and tell which label hosts.
 *   labels  a turn label counts as a speaker when it opens two turns or one
 *           with text.  It is the one person found for the episode whose
 *           name it is part of ("Priya", "Nair", "Dr. Nair") or whose first
 *           or last name it begins ("Pri"); "Host"/"Guest" are the only host
 *           or guest.  A label that is nobody found yet becomes a host when
 *           it introduces a guest or says it hosts, or when no host is known
 *           and it is the first such label to speak; otherwise a guest.
 */
#include "speakers/sp_internal.h"
#include "feed/feed.h"
#include "transcript/transcript.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define INTRO_SECONDS 300.0    /* the opening where introductions are read */
#define INTRO_WORDS 800
#define HEADER_LINES 12        /* the header block is within the first lines */
#define HEADER_VALUE_WORDS 8   /* "Recorded: Tuesday, March 3, 2026 in Utrecht" */
#define LABELS_MAX 64          /* distinct labels read; later ones stay as written */

struct label {
	char *name;            /* as written */
	size_t turns;
	size_t with_text;
	bool hosts;            /* introduced a guest or said they host */
	bool guest;            /* thanked the host for having them */
	enum speaker_role role;
	int index;             /* in the gather list of role; -1 when nobody */
};

struct reading {
	struct label *labels;
	size_t nr;
	size_t alloc;
	size_t header_end;             /* segments before it are the header */
	struct strlist hosts, guests;  /* from Host: / Guest: lines */
	struct sp_intro intro;
	const char *show;
};

/* ---- header ------------------------------------------------------------ */

static const char *const meta_keys[] = {
	"date", "duration", "episode", "language", "length", "location", "podcast",
	"published", "recorded", "season", "series", "show", "title", "transcript",
};

static bool in_words(const char *s, size_t n, const char *const *list, size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		if (strlen(list[i]) == n && !strncasecmp(s, list[i], n))
			return true;
	return false;
}

/* A key of metadata, never a speaker: "Podcast", "Episode". */
static bool is_meta_key(const char *s)
{
	return in_words(s, strlen(s), meta_keys, ARRAY_SIZE(meta_keys));
}

static bool is_host_key(const char *s)
{
	static const char *const keys[] = { "co-host", "co-hosts", "cohost", "host", "hosts" };

	return in_words(s, strlen(s), keys, ARRAY_SIZE(keys));
}

static bool is_guest_key(const char *s)
{
	return !strcasecmp(s, "guest") || !strcasecmp(s, "guests");
}

/* "Episode: 12" kept as text (the parser knows Episode is no speaker). */
static bool is_bare_header(const char *text)
{
	size_t n = strcspn(text, ":");

	if (text[0] == '#')
		return true;
	return text[n] == ':' && in_words(text, n, meta_keys, ARRAY_SIZE(meta_keys));
}

/* "Tuesday 3 March 2026": a value, not a sentence someone says. */
static bool is_short_value(const char *text)
{
	size_t n = strlen(text);

	return sp_count_words(text) <= HEADER_VALUE_WORDS && !(n && strchr(".?!", text[n - 1]));
}

static struct label *find_label(struct reading *r, const char *name)
{
	for (size_t i = 0; name && i < r->nr; i++)
		if (!strcmp(r->labels[i].name, name))
			return &r->labels[i];
	return NULL;
}

/* "Ethan", "Priya Nair and Dr. Sam de Wit": 1-4 capitalised words each. */
static void split_header_names(const char *value, struct strlist *out)
{
	struct scan sc;
	size_t i = 0;

	sp_scan_init(&sc, value, strlen(value), NULL);
	while (i < sc.t.n) {
		size_t e = i;

		while (e < sc.t.n && !sp_tok_is(&sc.t.v[e], "and") &&
		       (sp_is_capitalised(&sc.t.v[e]) || sp_is_particle(&sc.t.v[e])))
			if (sc.t.v[e++].after)
				break;
		if (e > i && e - i <= 5 && !sp_is_not_name(&sc.t.v[i]))
			sp_push_span(&sc, i, e, out);
		i = e > i ? e : i + 1;
		if (i < sc.t.n && sp_tok_is(&sc.t.v[i], "and"))
			i++;
	}
	sp_scan_release(&sc);
}

/* Is s a line of the header block?  Host:/Guest: lines give names. */
static bool header_line(struct reading *r, const struct segment *s)
{
	struct label *l = find_label(r, s->speaker);

	if (!s->speaker)
		return true;
	if (is_meta_key(s->speaker))
		return true;
	if (is_host_key(s->speaker) || is_guest_key(s->speaker)) {
		if (sp_count_words(s->text) > HEADER_VALUE_WORDS)
			return false;     /* a turn of someone labelled "Host" */
		split_header_names(s->text, is_host_key(s->speaker) ? &r->hosts : &r->guests);
		return true;
	}
	/* a timed line is speech (a cue, or a turn the diarizer found), not a header */
	return l && l->turns == 1 && s->start < 0 && is_short_value(s->text);
}

/* The block of metadata lines at the top, up to the first turn. */
static void read_header(struct reading *r, const struct segment_list *segs)
{
	size_t i = 0;

	while (i < segs->nr && i < HEADER_LINES && header_line(r, &segs->items[i]))
		i++;
	/* bare lines after the last header line are the transcript's own text */
	while (i > 0 && !segs->items[i - 1].speaker && !is_bare_header(segs->items[i - 1].text))
		i--;
	r->header_end = i;
}

/* ---- labels and introductions ------------------------------------------ */

static void count_labels(struct reading *r, const struct segment_list *segs)
{
	for (size_t i = 0; i < segs->nr; i++) {
		const struct segment *s = &segs->items[i];
		struct label *l = find_label(r, s->speaker);

		if (!s->speaker || (!l && r->nr == LABELS_MAX))
			continue;
		if (!l) {
			PC_GROW(r->labels, r->alloc, r->nr + 1);
			l = &r->labels[r->nr++];
			*l = (struct label){ pc_strdup(s->speaker), 0, 0, false, false,
					     SPEAKER_GUEST, -1 };
		}
		l->turns++;
		l->with_text += s->text[0] != 0;
	}
}

/* Turns that the header block holds are not turns. */
static void uncount_header(struct reading *r, const struct segment_list *segs)
{
	for (size_t i = 0; i < r->header_end; i++) {
		struct label *l = find_label(r, segs->items[i].speaker);

		if (l) {
			l->turns--;
			l->with_text -= segs->items[i].text[0] != 0;
		}
	}
}

static void merge_intro(struct reading *r, const struct sp_intro *one, struct label *l)
{
	for (size_t i = 0; i < one->hosts.nr; i++)
		if (!strlist_has(&r->intro.hosts, one->hosts.items[i]))
			strlist_push(&r->intro.hosts, one->hosts.items[i]);
	for (size_t i = 0; i < one->guests.nr; i++)
		if (!strlist_has(&r->intro.guests, one->guests.items[i]))
			strlist_push(&r->intro.guests, one->guests.items[i]);
	if (l) {
		l->hosts |= one->speaker_hosts;
		l->guest |= one->speaker_guests;
	}
}

static void read_intro(struct reading *r, const struct segment_list *segs)
{
	size_t words = 0;

	for (size_t i = r->header_end; i < segs->nr && words < INTRO_WORDS; i++) {
		const struct segment *s = &segs->items[i];
		struct sp_intro one = SP_INTRO_INIT;

		if (s->start > INTRO_SECONDS)
			break;
		sp_intro_scan(s->text, r->show, &one);
		merge_intro(r, &one, find_label(r, s->speaker));
		sp_intro_release(&one);
		words += sp_count_words(s->text);
	}
}

static void read_transcript(struct reading *r, const struct segment_list *segs,
			    const struct feed *f)
{
	memset(r, 0, sizeof(*r));
	r->show = f ? f->title : NULL;
	if (!segs)
		return;
	count_labels(r, segs);
	read_header(r, segs);
	uncount_header(r, segs);
	read_intro(r, segs);
}

static void reading_release(struct reading *r)
{
	for (size_t i = 0; i < r->nr; i++)
		free(r->labels[i].name);
	free(r->labels);
	strlist_release(&r->hosts);
	strlist_release(&r->guests);
	sp_intro_release(&r->intro);
}

/* ---- who each label is --------------------------------------------------- */

static bool all_in(const struct strlist *a, const struct strlist *b)
{
	for (size_t i = 0; i < a->nr; i++)
		if (!strlist_has(b, a->items[i]))
			return false;
	return a->nr > 0;
}

static bool starts_word(const struct strlist *words, size_t i, const char *w)
{
	return i < words->nr && !strncmp(words->items[i], w, strlen(w));
}

/*
 * "Priya", "Nair", "Dr. Nair", "Van Dalen" for "Priya Nair" / "Sophie van
 * Dalen"; "Pri" or "Chris" begins the first or the last name.
 */
static bool label_names(const char *label, const char *name)
{
	struct strlist lw = STRLIST_INIT, nw = STRLIST_INIT;
	bool yes;

	sp_name_all_words(label, &lw);
	sp_name_all_words(name, &nw);
	yes = all_in(&lw, &nw) || speakers_same_person(label, name);
	if (!yes && lw.nr == 1 && nw.nr && strlen(lw.items[0]) >= 2)
		yes = starts_word(&nw, 0, lw.items[0]) || starts_word(&nw, nw.nr - 1, lw.items[0]);
	strlist_release(&lw);
	strlist_release(&nw);
	return yes;
}

/* The one person of g the label names: its role and index, or -1. */
static int find_person(const struct gather *g, const char *label, enum speaker_role *role)
{
	const struct speaker_list *lists[] = { &g->hosts, &g->guests };
	int found = -1, matches = 0;

	for (size_t p = 0; p < ARRAY_SIZE(lists); p++)
		for (size_t i = 0; i < lists[p]->nr; i++)
			if (label_names(label, lists[p]->items[i].name)) {
				*role = p ? SPEAKER_GUEST : SPEAKER_HOST;
				found = (int)i;
				matches++;
			}
	return matches == 1 ? found : -1;
}

/* "Host:" and "Guest:" turns are the only host or guest there is. */
static bool find_role_label(const struct gather *g, struct label *l)
{
	if (is_host_key(l->name) && g->hosts.nr == 1)
		l->role = SPEAKER_HOST;
	else if (is_guest_key(l->name) && g->guests.nr == 1)
		l->role = SPEAKER_GUEST;
	else
		return false;
	l->index = 0;
	return true;
}

static bool is_speaker(const struct label *l)
{
	return (l->turns >= 2 || l->with_text >= 1) && !is_meta_key(l->name);
}

static void map_labels(const struct gather *g, struct reading *r)
{
	for (size_t i = 0; i < r->nr; i++) {
		struct label *l = &r->labels[i];

		if (!is_speaker(l) || find_role_label(g, l) || sp_is_generic_label(l->name))
			continue;
		l->index = find_person(g, l->name, &l->role);
	}
}

/* A label that is nobody found yet joins the list; see the top of the file. */
static void add_label_person(struct gather *g, struct label *l, bool first)
{
	bool host = l->hosts || (!l->guest && first && !g->hosts.nr);
	struct speaker_list *list = host ? &g->hosts : &g->guests;
	size_t before = list->nr;

	if (host)
		sp_add_host(g, l->name, SPEAKER_SRC_VTT_VOICE);
	else
		sp_add_guest(g, l->name, SPEAKER_SRC_VTT_VOICE);
	if (list->nr > before) {
		l->role = host ? SPEAKER_HOST : SPEAKER_GUEST;
		l->index = (int)before;
	}
}

static void add_new_labels(struct gather *g, struct reading *r)
{
	bool first = true;

	for (size_t i = 0; i < r->nr; i++) {
		struct label *l = &r->labels[i];

		if (l->index >= 0 || !is_speaker(l) || sp_is_generic_label(l->name))
			continue;
		add_label_person(g, l, first);
		first = false;
	}
}

/*
 * "Speaker 1" and "Speaker 2" as the only labels of an episode with one
 * host and one guest: the first to speak opens the show, so hosts.
 */
static void map_numbered_pair(const struct gather *g, struct reading *r)
{
	struct label *pair[2];
	size_t n = 0;

	if (g->hosts.nr != 1 || g->guests.nr != 1)
		return;
	for (size_t i = 0; i < r->nr; i++) {
		struct label *l = &r->labels[i];

		if (!is_speaker(l))
			continue;
		if (!sp_is_generic_label(l->name) || l->index >= 0 || n == 2)
			return;
		pair[n++] = l;
	}
	if (n != 2)
		return;
	pair[0]->role = SPEAKER_HOST;
	pair[1]->role = SPEAKER_GUEST;
	pair[0]->index = pair[1]->index = 0;
}

static void add_said_hosts(struct gather *g, const struct reading *r)
{
	for (size_t i = 0; i < r->hosts.nr; i++)
		sp_add_host(g, r->hosts.items[i], SPEAKER_SRC_TRANSCRIPT);
	for (size_t i = 0; i < r->intro.hosts.nr; i++)
		sp_add_host(g, r->intro.hosts.items[i], SPEAKER_SRC_TRANSCRIPT);
}

static void add_said_guests(struct gather *g, const struct reading *r)
{
	for (size_t i = 0; i < r->guests.nr; i++)
		sp_add_guest(g, r->guests.items[i], SPEAKER_SRC_TRANSCRIPT);
	for (size_t i = 0; i < r->intro.guests.nr; i++)
		sp_add_guest(g, r->intro.guests.items[i], SPEAKER_SRC_TRANSCRIPT);
}

/* ---- the transcript relabelled ------------------------------------------ */

static void segment_free(struct segment *s)
{
	free(s->speaker);
	free(s->text);
}

static const char *full_name(const struct gather *g, const struct label *l)
{
	const struct speaker_list *list = l->role == SPEAKER_HOST ? &g->hosts : &g->guests;

	return l->index >= 0 && (size_t)l->index < list->nr ? list->items[l->index].name : NULL;
}

static void relabel(struct segment *s, const struct gather *g, struct reading *r)
{
	const struct label *l = find_label(r, s->speaker);
	const char *name = l ? full_name(g, l) : NULL;

	if (s->speaker && is_meta_key(s->speaker)) {
		free(s->speaker);
		s->speaker = NULL;
	} else if (name && strcmp(name, s->speaker)) {
		free(s->speaker);
		s->speaker = pc_strdup(name);
	}
}

/* Drops the header block's metadata lines and puts full names on turns. */
static void rewrite_segments(struct segment_list *segs, const struct gather *g,
			     struct reading *r)
{
	size_t k = 0;

	for (size_t i = 0; i < segs->nr; i++) {
		struct segment *s = &segs->items[i];

		if (i < r->header_end && (s->speaker || is_bare_header(s->text))) {
			segment_free(s);
			continue;
		}
		relabel(s, g, r);
		segs->items[k++] = *s;
	}
	segs->nr = k;
}

int speakers_detect_transcript(const struct feed *f, const struct episode *ep,
			       const struct speakers_options *o, struct segment_list *segs,
			       struct speaker_list *out)
{
	struct gather g = { SPEAKER_LIST_INIT, SPEAKER_LIST_INIT };
	struct reading r;

	if (out->nr)
		return -PC_EUSAGE;
	o = sp_options(o);
	read_transcript(&r, segs, f);
	if (!sp_gather_fixed(&g, o)) {
		sp_gather_feed(&g, f, ep, o->known_hosts);
		add_said_hosts(&g, &r);
		sp_gather_text(&g, f, ep);
		add_said_guests(&g, &r);
		map_labels(&g, &r);
		add_new_labels(&g, &r);
		map_numbered_pair(&g, &r);
	} else {
		map_labels(&g, &r);
	}
	if (segs)
		rewrite_segments(segs, &g, &r);
	sp_gather_emit(&g, out);
	reading_release(&r);
	return 0;
}
