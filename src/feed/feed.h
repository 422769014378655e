/*
 * feed.h - podcast feeds (RSS 2.0 + iTunes + Podcasting 2.0, and Atom)
 * parsed into an episode model.
 *
 * Safety: documents are parsed by libxml2 with network access, DTD loading
 * and entity substitution off; any document whose DOCTYPE declares entities
 * is rejected as hostile (-PC_EHOSTILE), as defusedxml does.  libxml2's own
 * messages are captured (never printed) and folded into err.
 *
 * Ownership: feed_parse() fills a struct feed that owns every string and
 * array in it; feed_release() frees them all.  Strings that the feed lacks
 * are NULL (never "").  Episodes keep the feed's order, duplicates (same
 * guid) included.  Namespaced elements are matched by namespace URI, never
 * by prefix.  Which element wins when several carry the same field is
 * listed at the top of feed_rss.c and feed_atom.c (e.g. description:
 * content:encoded, then description, then itunes:summary).
 *
 * Threads: feed_parse() and the helpers below may run in several threads
 * at once; each parse has its own libxml2 context and error handler.
 * libxml2 is initialised on first use (pthread_once); a program may call
 * feed_global_init() early from its main thread to do it up front.
 *
 *	struct feed f = FEED_INIT;
 *	if (feed_parse(bytes, len, final_url, &f, &err) < 0)
 *		report("feed '%s': %s", url, err.buf);
 *	for (size_t i = 0; i < f.nr_episodes; i++) ... f.episodes[i] ...
 *	feed_release(&f);
 */
#ifndef FEED_H
#define FEED_H

#include "util/pc.h"
#include "util/sbuf.h"
#include "util/strlist.h"

#include <time.h>

/*
 * A <podcast:transcript>, or any element whose local name ends in
 * "transcript" and carries a url or href attribute; one per URL.
 */
struct transcript_ref {
	char *url;        /* absolute, resolved against the feed's final URL */
	char *type;       /* declared MIME type, e.g. "text/vtt"; may be NULL */
	char *language;   /* may be NULL */
	char *rel;        /* e.g. "captions"; may be NULL */
};

enum person_role { PERSON_HOST, PERSON_GUEST, PERSON_OTHER };

/* A <podcast:person>; role is "host" when the attribute is absent (as the
 * podcastindex spec says); "co-host" and "guest host" count as hosts. */
struct person {
	char *name;
	enum person_role role;
	char *href;       /* may be NULL */
};

struct episode {
	char *title;              /* NULL when missing */
	char *description;        /* plain text (HTML stripped, entities decoded) */
	char *guid;               /* NULL when missing */
	char *link;
	time_t published;         /* 0 when unknown */
	long duration_seconds;    /* -1 when unknown */
	long episode_number;      /* -1 when unknown */
	char *image_url;
	char *author;             /* itunes:author / dc:creator / atom author */
	char *media_url;          /* enclosure (absolute) */
	char *media_type;
	long long media_length;   /* -1 when unknown (absent, 0 or invalid) */
	char *chapters_url;       /* podcast:chapters */
	struct transcript_ref *transcripts;
	size_t nr_transcripts;
	struct person *persons;
	size_t nr_persons;
};

struct feed {
	char *title;
	char *description;
	char *language;
	char *link;
	char *image_url;          /* itunes:image, image/url; atom logo, icon */
	char *author;             /* itunes:author (channel); atom: first author */
	char *owner_name;         /* itunes:owner/itunes:name */
	time_t last_updated;      /* lastBuildDate / pubDate / atom updated; 0 unknown */
	struct strlist authors;   /* every author-ish name, deduplicated */
	struct person *persons;   /* channel-level podcast:person */
	size_t nr_persons;
	struct episode *episodes;
	size_t nr_episodes;
	size_t alloc_episodes;
	char *warning;            /* one sentence about what was read leniently, or NULL */
};

#define FEED_INIT { 0 }

/* Initialises libxml2 once (thread-safe, idempotent); optional, see above. */
void feed_global_init(void);

/*
 * Parses len bytes of XML.  base_url is the URL the bytes finally came from
 * (after redirects; http(s)://, file:// or a plain path) and resolves
 * relative links; NULL keeps links as written.  f must be FEED_INIT.
 * Returns 0, or a negative code with one sentence appended to err (the
 * caller names the feed) and f untouched:
 *   -PC_EPARSE    "empty document (0 bytes)",
 *                 "not an RSS or Atom document (root element <html>)",
 *                 "XML error at line 12: <libxml2's message>",
 *                 "RSS document without a <channel> element"
 *   -PC_EHOSTILE  "hostile XML: the DOCTYPE declares entities (...)"
 *   -PC_ETOOBIG   len beyond what libxml2 accepts (2 GiB); callers cap
 *                 feed sizes far below that.
 * A feed with no items is valid (nr_episodes == 0).  Entities used without
 * a declaration are HTML's named characters (&nbsp;, &eacute;) when HTML
 * knows the name; other names stay as text and f->warning says so.
 */
int feed_parse(const char *xml, size_t len, const char *base_url,
	       struct feed *f, struct sbuf *err);
/* Frees everything f owns and leaves it equal to FEED_INIT. */
void feed_release(struct feed *f);

/*
 * Parses len bytes of an OPML subscription list under the same rules as
 * feed_parse() and appends the xmlUrl of every <outline> (nested ones
 * included, document order, as written) to urls.  Returns 0, or a negative
 * code with one sentence appended to err (the caller names the file) and
 * urls untouched:
 *   -PC_EPARSE    "empty document (0 bytes)", "XML error at line 3: ...",
 *                 "not an OPML document (root element <html>)"
 *   -PC_EHOSTILE  "hostile XML: the DOCTYPE declares entities (...)"
 */
int feed_opml_parse(const char *xml, size_t len, struct strlist *urls, struct sbuf *err);

/*
 * Resolves ref against base (RFC 3986; file:// bases work).  Surrounding
 * whitespace is dropped; spaces and raw UTF-8 are percent-encoded; a ref
 * that cannot be resolved is returned as written.  Returns a new string
 * (caller frees), or NULL when ref is NULL or blank.  base NULL or "" gives
 * ref back.
 */
char *feed_resolve_url(const char *base, const char *ref);
/* RFC 822 / RFC 2822 / ISO 8601 dates -> UTC time_t; -1 when unparseable. */
time_t feed_parse_date(const char *s);
/* "3600", "1:00:00", "60:00" -> seconds; -1 when unparseable. */
long feed_parse_duration(const char *s);
/*
 * HTML fragment -> plain text: tags dropped, entities decoded, block
 * elements and <br> turned into line breaks, other whitespace collapsed to
 * single spaces, trimmed.  Returns a new string (caller frees), or NULL
 * when no text is left.
 */
char *feed_html_to_text(const char *html);

#endif
