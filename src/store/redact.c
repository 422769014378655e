/*
 * redact.c - removes secrets from config snapshots before anything is
 * written.  Matching is by key name, deliberately broad: a false positive
 * hides a harmless value, a false negative leaks a credential.
 */
#include "store/internal.h"

#include <string.h>
#include <strings.h>

static const char *const secret_words[] = { "key", "token", "secret", "password" };

static bool is_secret_key(const char *key)
{
	for (size_t i = 0; i < ARRAY_SIZE(secret_words); i++)
		if (strcasestr(key, secret_words[i]))
			return true;
	return false;
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

static json_t *redact(json_t *v)
{
	json_t *out, *item;
	const char *key;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		out = json_object();
		json_object_foreach(v, key, item) {
			json_t *copy = !is_secret_key(key) ? redact(item) :
				       is_empty_value(item) ? json_null() : json_string("***");

			json_object_set_new(out, key, copy);
		}
		return out;
	case JSON_ARRAY:
		out = json_array();
		json_array_foreach(v, i, item)
			json_array_append_new(out, redact(item));
		return out;
	default:
		return json_deep_copy(v);
	}
}

json_t *store_config_redact(json_t *snapshot)
{
	return snapshot ? redact(snapshot) : NULL;
}
