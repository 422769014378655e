/*
 * redact.c - removes secrets from documents before anything is written.
 * Config snapshots lose the values of keys whose names look secret; every
 * string of every document has the credentials of its URLs hidden
 * (util/redact.h).  Matching is deliberately broad: a false positive hides
 * a harmless value, a false negative leaks a credential.
 */
#include "store/internal.h"
#include "util/redact.h"

#include <stdlib.h>
#include <string.h>

static bool is_secret_key(const char *key)
{
	return redact_secret_name(key, strlen(key));
}

static json_t *redacted_string(json_t *v)
{
	struct sbuf out = SBUF_INIT(SBUF_NOLIMIT);
	json_t *s;

	redact_add(&out, json_string_value(v), json_string_length(v));
	s = json_stringn(out.buf, out.len);
	sbuf_release(&out);
	return s;
}

static bool is_empty_value(json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_NULL:
		return true;
	case JSON_STRING:
		return json_string_length(v) == 0;
	case JSON_ARRAY:
		return json_array_size(v) == 0;
	case JSON_OBJECT:
		return json_object_size(v) == 0;
	default:
		return false;
	}
}

/* A copy of v with URLs redacted, and secret-looking keys too when by_key. */
static json_t *redact(json_t *v, bool by_key)
{
	json_t *out, *item;
	const char *key;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		out = json_object();
		json_object_foreach(v, key, item) {
			json_t *copy = !by_key || !is_secret_key(key) ? redact(item, by_key) :
				       is_empty_value(item) ? json_null() : json_string("***");

			json_object_set_new(out, key, copy);
		}
		return out;
	case JSON_ARRAY:
		out = json_array();
		json_array_foreach(v, i, item)
			json_array_append_new(out, redact(item, by_key));
		return out;
	case JSON_STRING:
		return redacted_string(v);
	default:
		return json_deep_copy(v);
	}
}

json_t *store_config_redact(json_t *snapshot)
{
	return snapshot ? redact(snapshot, true) : NULL;
}

json_t *store_doc_redact(json_t *doc)
{
	return redact(doc, false);
}
