/*
 * net_api.c - small helpers for JSON web APIs on top of net_post(): URLs
 * under an API base, bearer headers and error messages that say what the
 * server said without ever repeating a secret.
 */
#include "net/net.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define MESSAGE_MAX 400   /* bytes of a server's explanation kept in err */

char *net_url_join(const char *base, const char *path)
{
	struct sbuf u = SBUF_INIT(SBUF_NOLIMIT);
	size_t n = strcspn(base, "?#");

	while (n && base[n - 1] == '/')
		n--;
	while (*path == '/')
		path++;
	sbuf_add(&u, base, n);
	sbuf_addf(&u, "/%s", path);
	if (base[n] == '/')
		n += strspn(base + n, "/");
	sbuf_adds(&u, base + n);
	return sbuf_detach(&u, NULL);
}

char *net_bearer_header(const char *token)
{
	struct sbuf h = SBUF_INIT(SBUF_NOLIMIT);

	if (!token || !*token)
		return NULL;
	sbuf_addf(&h, "Authorization: Bearer %s", token);
	return sbuf_detach(&h, NULL);
}

/* Appends text to err with every occurrence of secret masked. */
static void add_redacted(struct sbuf *err, const char *text, size_t len, const char *secret)
{
	size_t sl = secret ? strlen(secret) : 0;
	size_t i = 0;

	while (i < len) {
		if (sl && len - i >= sl && !memcmp(text + i, secret, sl)) {
			sbuf_adds(err, "***");
			i += sl;
		} else {
			sbuf_addch(err, text[i] == '\n' || text[i] == '\r' ? ' ' : text[i]);
			i++;
		}
	}
}

/* error.message (OpenAI), error (a string), message or detail of a JSON body. */
static const char *json_message(json_t *j)
{
	json_t *e = json_object_get(j, "error");

	if (json_is_string(e))
		return json_string_value(e);
	if (json_is_string(json_object_get(e, "message")))
		return json_string_value(json_object_get(e, "message"));
	if (json_is_string(json_object_get(j, "message")))
		return json_string_value(json_object_get(j, "message"));
	if (json_is_string(json_object_get(j, "detail")))
		return json_string_value(json_object_get(j, "detail"));
	return NULL;
}

/* What the server said in an error body: its JSON message or its first line. */
static void add_server_message(struct sbuf *err, const struct sbuf *body, const char *secret)
{
	json_t *j = json_loadb(body->buf, body->len, 0, NULL);
	const char *msg = json_message(j);
	size_t len;

	if (!msg) {
		msg = body->buf;
		while (*msg == ' ' || *msg == '\n' || *msg == '\r' || *msg == '\t')
			msg++;
	}
	len = strcspn(msg, "\n");
	if (len > MESSAGE_MAX)
		len = MESSAGE_MAX;
	if (len) {
		sbuf_adds(err, ": ");
		add_redacted(err, msg, len, secret);
	}
	json_decref(j);
}

void net_api_error(const struct net_result *res, const char *what, const char *url,
		   const char *secret, struct sbuf *err)
{
	const char *why = res->err.buf;
	size_t skip = strlen(url);

	sbuf_addf(err, "%s %s: ", what, url);
	if (res->http_status >= 400) {
		sbuf_addf(err, "HTTP %ld", res->http_status);
		add_server_message(err, &res->body, secret);
		if (res->attempts > 1)
			sbuf_addf(err, " (gave up after %d attempts)", res->attempts);
		return;
	}
	/* net's own sentence starts "POST <url>: "; the URL is already said */
	if (!strncmp(why, "POST ", 5) && !strncmp(why + 5, url, skip) &&
	    !strncmp(why + 5 + skip, ": ", 2))
		why += 5 + skip + 2;
	add_redacted(err, why, strlen(why), secret);
}
