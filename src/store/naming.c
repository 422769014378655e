/*
 * naming.c - names of feed folders, episode ids and file stems (the layout
 * in store.h).  Everything here is a pure function of its arguments, so the
 * same feed and episode always get the same names.
 */
#include "store/internal.h"
#include "util/fs.h"
#include "util/hash.h"
#include "util/redact.h"
#include "util/timeutil.h"
#include "util/utf8.h"

#include <ctype.h>
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HASH8 8
#define HOST_MAX 64
#define FILE_NAME_MAX 64

/* ---- Safe names ------------------------------------------------------------ */

static bool is_unicode_space(uint32_t cp)
{
	return cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
	       cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
	       cp == 0x3000;
}

/*
 * Characters that are legal in names but harmful: C1 controls, bidi
 * overrides (they make a name display differently from what it is), the
 * byte-order mark and non-characters.
 */
static bool is_unicode_unsafe(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9F) || cp == 0x200E || cp == 0x200F ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF;
}

static bool is_ascii_separator(unsigned char c)
{
	return c < 0x20 || c == 0x7F || c == ' ' || c == '_' || strchr("/\\:*?\"<>|", c);
}

/* Appends the character at s (len bytes), after a pending '_', if it fits. */
static bool put_char(struct sbuf *out, size_t max, bool *sep, const char *s, size_t len)
{
	size_t need = len + (*sep && out->len ? 1 : 0);

	if (out->len + need > max)
		return false;
	if (*sep && out->len)
		sbuf_addch(out, '_');
	*sep = false;
	sbuf_add(out, s, len);
	return true;
}

char *store_safe_name(const char *s, size_t max, const char *fallback)
{
	struct sbuf out = SBUF_INIT(SBUF_NOLIMIT);
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p);
	bool sep = false;

	while (n) {
		uint32_t cp;
		size_t len = utf8_decode((const char *)p, n, &cp);
		bool separator = !len || (len == 1 && is_ascii_separator(*p)) ||
				 is_unicode_space(cp) || is_unicode_unsafe(cp) ||
				 (*p == '.' && !out.len);

		if (!len)
			len = 1;   /* an invalid byte: replace it alone, resync after it */
		if (separator)
			sep = true;
		else if (!put_char(&out, max, &sep, (const char *)p, len))
			break;
		p += len;
		n -= len;
	}
	if (!out.len) {
		sbuf_release(&out);
		return pc_strdup(fallback);
	}
	return sbuf_detach(&out, NULL);
}

/* ---- Feed folders and ids ---------------------------------------------------- */

static bool has_scheme(const char *url, const char *scheme)
{
	size_t n = strlen(scheme);

	return !strncasecmp(url, scheme, n) && !strncmp(url + n, "://", 3);
}

static bool is_remote_url(const char *url)
{
	const char *colon = strstr(url, "://");

	if (!colon || colon == url || has_scheme(url, "file"))
		return false;
	for (const char *p = url; p < colon; p++)
		if (!isalnum((unsigned char)*p) && !strchr("+.-", *p))
			return false;
	return true;
}

/* A curl URL handle for url, or NULL when curl cannot parse it. */
static CURLU *parse_url(const char *url)
{
	CURLU *u = curl_url();

	if (u && curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
		curl_url_cleanup(u);
		u = NULL;
	}
	return u;
}

static char *lowercase(char *s)
{
	for (char *p = s; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return s;
}

/* A host as a name part: lower case, [a-z0-9.-] kept, IPv6 brackets dropped. */
static char *host_part(char *host)
{
	struct sbuf sb = SBUF_INIT(SBUF_NOLIMIT);
	char *res;

	for (const char *p = lowercase(host); *p; p++) {
		if (*p == '[' || *p == ']')
			continue;
		sbuf_addch(&sb, isalnum((unsigned char)*p) || *p == '.' || *p == '-' ? *p : '_');
	}
	res = store_safe_name(sb.buf, HOST_MAX, "unknown");
	sbuf_release(&sb);
	return res;
}

static char *url_host(const char *url)
{
	CURLU *u = parse_url(url);
	char *host = NULL;
	char *res;

	if (u)
		curl_url_get(u, CURLUPART_HOST, &host, 0);
	res = host ? host_part(host) : pc_strdup("unknown");
	curl_free(host);
	curl_url_cleanup(u);
	return res;
}

/* The local path a feed names: file:// URLs decoded, anything else as given. */
static char *local_path(const char *feed)
{
	const char *p = feed + strlen("file://");
	char *decoded;
	int len = 0;

	if (!has_scheme(feed, "file"))
		return pc_strdup(feed);
	if (*p != '/') {           /* file://host/path */
		p = strchr(p, '/');
		if (!p)
			p = "";
	}
	decoded = curl_easy_unescape(NULL, p, 0, &len);
	if (!decoded)
		return pc_strdup(p);
	p = pc_strndup(decoded, (size_t)len);
	curl_free(decoded);
	return (char *)p;
}

/* File name of path without its extension ("/a/b/show.xml" -> "show"). */
static char *file_stem(const char *path)
{
	size_t len = strlen(path);
	const char *base, *dot;
	char *name, *res;

	while (len && path[len - 1] == '/')
		len--;
	base = path + len;
	while (base > path && base[-1] != '/')
		base--;
	name = pc_strndup(base, (size_t)(path + len - base));
	dot = strrchr(name, '.');
	if (dot && dot != name)
		name[dot - name] = '\0';
	res = store_safe_name(name, FILE_NAME_MAX, "feed");
	free(name);
	return res;
}

char *store_feed_dir_name(const char *feed_url)
{
	struct sbuf sb = SBUF_INIT(SBUF_NOLIMIT);
	char hex[HASH_SHA1_HEX];
	char *part;

	if (is_remote_url(feed_url)) {
		part = url_host(feed_url);
		hash_sha1_hex(feed_url, strlen(feed_url), hex);
		sbuf_addf(&sb, "rss_%s_%.*s", part, HASH8, hex);
	} else {
		char *path = local_path(feed_url);

		part = file_stem(path);
		hash_sha1_hex(path, strlen(path), hex);
		sbuf_addf(&sb, "file_%s_%.*s", part, HASH8, hex);
		free(path);
	}
	free(part);
	return sbuf_detach(&sb, NULL);
}

/* Lower-cases scheme and host, drops fragment and default port; NULL if not a URL. */
static char *normalize_url(const char *url)
{
	CURLU *u = is_remote_url(url) ? parse_url(url) : NULL;
	char *host = NULL, *full = NULL, *res = NULL;

	if (!u)
		return NULL;
	if (curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK)
		curl_url_set(u, CURLUPART_HOST, lowercase(host), 0);
	curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0);
	if (curl_url_get(u, CURLUPART_URL, &full, CURLU_NO_DEFAULT_PORT) == CURLUE_OK)
		res = pc_strdup(full);
	curl_free(host);
	curl_free(full);
	curl_url_cleanup(u);
	return res;
}

static char *sha256_id(const char *s, size_t len)
{
	char hex[HASH_SHA256_HEX];
	struct sbuf sb = SBUF_INIT(SBUF_NOLIMIT);

	hash_sha256_hex(s, len, hex);
	sbuf_addf(&sb, "sha256:%s", hex);
	return sbuf_detach(&sb, NULL);
}

char *store_feed_id(const char *feed_url)
{
	char *norm = normalize_url(feed_url);
	const char *s = norm ? norm : feed_url;
	char *res = sha256_id(s, strlen(s));

	free(norm);
	return res;
}

unsigned store_feed_shard(const char *feed_url, unsigned n)
{
	char *id = store_feed_id(feed_url);
	const char *hex = id + strlen("sha256:");
	unsigned long long v = 0;

	for (int i = 0; i < 16; i++)
		v = v << 4 | (unsigned long long)(hex[i] <= '9' ? hex[i] - '0' : hex[i] - 'a' + 10);
	free(id);
	return (unsigned)(v % n);
}

/* ---- Episodes ------------------------------------------------------------------ */

bool store_date(time_t t, char out[11])
{
	struct tm tm;

	if (t <= 0 || !gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999 ||
	    strftime(out, 11, "%Y-%m-%d", &tm) != 10) {
		memcpy(out, "0000-00-00", 11);
		return false;
	}
	return true;
}

static bool blank(const char *s)
{
	if (!s)
		return true;
	while (isspace((unsigned char)*s))
		s++;
	return !*s;
}

char *store_episode_id(const struct episode *ep, const char *feed_url)
{
	struct sbuf key = SBUF_INIT(SBUF_NOLIMIT);
	char iso[TIME_ISO_LEN] = "";
	char *res;

	/* ids are shown and stored: a GUID may be a permalink carrying a token */
	if (!blank(ep->guid))
		return redact_text(ep->guid);
	if (ep->published > 0)
		time_iso8601(ep->published, iso);
	sbuf_addf(&key, "%s|%s|%s|%s", feed_url ? feed_url : "",
		  ep->title ? ep->title : "", iso, ep->link ? ep->link : "");
	res = sha256_id(key.buf, key.len);
	sbuf_release(&key);
	return res;
}

char *store_stem_prefix(const struct episode *ep)
{
	struct sbuf sb = SBUF_INIT(SBUF_NOLIMIT);
	char date[11];
	char *title = store_safe_name(ep->title, STORE_TITLE_MAX, "untitled");

	store_date(ep->published, date);
	sbuf_addf(&sb, "%s_%s", date, title);
	free(title);
	return sbuf_detach(&sb, NULL);
}

char *store_stem_join(const char *prefix, const char *episode_id, int digits)
{
	struct sbuf sb = SBUF_INIT(SBUF_NOLIMIT);
	char hex[HASH_SHA1_HEX];

	hash_sha1_hex(episode_id, strlen(episode_id), hex);
	if (digits < 1 || digits > HASH_SHA1_HEX - 1)
		BUG("stem suffix of %d hex digits", digits);
	sbuf_addf(&sb, "%s_%.*s", prefix, digits, hex);
	return sbuf_detach(&sb, NULL);
}

char *store_episode_stem(const struct episode *ep, const char *episode_id)
{
	char *prefix = store_stem_prefix(ep);
	char *stem = store_stem_join(prefix, episode_id, STORE_ID_DIGITS);

	free(prefix);
	return stem;
}

/* ---- Paths ----------------------------------------------------------------------- */

#define METADATA_DIR "metadata"

/* NULL: METADATA_DIR.  Set between runs only (store.h). */
static char *metadata_dir;

void store_set_metadata_dir(const char *rel)
{
	size_t n = rel ? strlen(rel) : 0;

	pc_freep(&metadata_dir);
	while (n > 1 && rel[n - 1] == '/')
		n--;
	if (n)
		metadata_dir = pc_strndup(rel, n);
}

const char *store_metadata_dir(void)
{
	return metadata_dir ? metadata_dir : METADATA_DIR;
}

char *store_relpath(enum store_file kind, const char *stem, const char *ext)
{
	struct sbuf sb = SBUF_INIT(SBUF_NOLIMIT);
	char *safe_ext = store_safe_name(ext, 16, "bin");

	switch (kind) {
	case STORE_TRANSCRIPT:    sbuf_addf(&sb, "transcripts/%s.%s", stem, safe_ext); break;
	case STORE_TEXT:          sbuf_addf(&sb, "transcripts/%s.txt", stem); break;
	case STORE_SEGMENTS:      sbuf_addf(&sb, "transcripts/%s.segments.json", stem); break;
	case STORE_SCREENPLAY:    sbuf_addf(&sb, "transcripts/%s.screenplay.txt", stem); break;
	case STORE_METADATA_JSON:
		sbuf_addf(&sb, "%s/%s.metadata.json", store_metadata_dir(), stem);
		break;
	case STORE_METADATA_YAML:
		sbuf_addf(&sb, "%s/%s.metadata.yaml", store_metadata_dir(), stem);
		break;
	case STORE_MEDIA:         sbuf_addf(&sb, "media/%s.%s", stem, safe_ext); break;
	default:                  BUG("unknown store_file %d", (int)kind);
	}
	free(safe_ext);
	return sbuf_detach(&sb, NULL);
}
