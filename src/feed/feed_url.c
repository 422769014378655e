/*
 * feed_url.c - relative references resolved against the feed's URL.
 *
 * libxml2's xmlBuildURI does the RFC 3986 merge (it passes the RFC's
 * examples, file:// bases included); we add what feeds need around it:
 * references with spaces or raw UTF-8 are percent-encoded and retried, dot
 * segments left in absolute paths ("/./a", "/../a") are removed, and a
 * reference nothing can make sense of is kept as written.
 */
#include "feed/feed_internal.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/uri.h>

/* What may stay unescaped when we percent-encode a sloppy reference. */
#define URI_KEEP ":/?#[]@!$&'()*+,;=%~"

static char *trimmed(const char *s)
{
	size_t len;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
		       s[len - 1] == '\r' || s[len - 1] == '\n'))
		len--;
	return len ? pc_strndup(s, len) : NULL;
}

static char *xml_take(xmlChar *s)
{
	char *res = s ? pc_strdup((const char *)s) : NULL;

	xmlFree(s);
	return res;
}

static char *build(const char *ref, const char *base)
{
	return xml_take(xmlBuildURI((const xmlChar *)ref, (const xmlChar *)base));
}

static char *escaped(const char *s)
{
	return xml_take(xmlURIEscapeStr((const xmlChar *)s, (const xmlChar *)URI_KEEP));
}

static char *build_escaped(const char *ref, const char *base)
{
	char *eref = escaped(ref), *ebase = escaped(base);
	char *res = eref && ebase ? build(eref, ebase) : NULL;

	free(eref);
	free(ebase);
	return res;
}

/* Where the path of an absolute URI starts (after scheme and authority). */
static size_t path_start(const char *uri)
{
	const char *p = strchr(uri, ':');

	if (!p || strcspn(uri, "/?#") < (size_t)(p - uri))
		return 0;
	p++;
	if (p[0] == '/' && p[1] == '/')
		p += 2 + strcspn(p + 2, "/?#");
	return p - uri;
}

static void drop_last_segment(char *out, size_t *n)
{
	while (*n && out[*n - 1] != '/')
		(*n)--;
	if (*n)
		(*n)--;
}

/* RFC 3986 5.2.4 on in[0..len); writes at most len bytes to out. */
static size_t remove_dots(const char *in, size_t len, char *out)
{
	const char *end = in + len;
	size_t n = 0;

	while (in < end) {
		size_t left = end - in, seg;

		if (left >= 3 && !strncmp(in, "../", 3))
			in += 3;
		else if (left >= 2 && !strncmp(in, "./", 2))
			in += 2;
		else if (left >= 3 && !strncmp(in, "/./", 3))
			in += 2;
		else if (left == 2 && !strncmp(in, "/.", 2))
			in += 1, out[n++] = '/', in++;
		else if (left >= 4 && !strncmp(in, "/../", 4))
			in += 3, drop_last_segment(out, &n);
		else if (left == 3 && !strncmp(in, "/..", 3))
			in += 3, drop_last_segment(out, &n), out[n++] = '/';
		else if ((left == 1 && *in == '.') || (left == 2 && !strncmp(in, "..", 2)))
			in = end;
		else {
			seg = 1 + strcspn(in + 1, "/");
			seg = seg < left ? seg : left;
			memcpy(out + n, in, seg);
			n += seg, in += seg;
		}
	}
	return n;
}

static char *normalize_path(char *uri)
{
	size_t start = path_start(uri);
	size_t plen = strcspn(uri + start, "?#");
	size_t tail = strlen(uri + start + plen);
	char *res;
	size_t n;

	if (!memmem(uri + start, plen, "/.", 2))
		return uri;
	res = pc_malloc(start + plen + tail + 1);
	memcpy(res, uri, start);
	n = start + remove_dots(uri + start, plen, res + start);
	memcpy(res + n, uri + start + plen, tail + 1);
	free(uri);
	return res;
}

char *feed_resolve_url(const char *base, const char *ref)
{
	char *r = ref ? trimmed(ref) : NULL;
	char *res;

	if (!r || !base || !*base)
		return r;
	res = build(r, base);
	if (!res)
		res = build_escaped(r, base);
	if (!res)
		return r;
	free(r);
	return normalize_path(res);
}
