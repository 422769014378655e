/*
 * validators.c - conditional feed requests: an unchanged feed costs one 304.
 *
 * A feed's ETag and Last-Modified are kept in its state.sqlite only after a
 * run that left it with nothing to do (every selected episode done or
 * skipped, no stop, no failure), together with a fingerprint of the
 * settings that decide what "done" means.  The next fetch sends them as
 * If-None-Match / If-Modified-Since, and a 304 then truly means nothing is
 * left: a failed or interrupted episode, or other settings (say
 * --generate-summaries turned on), make the next fetch unconditional, so a
 * 304 never hides work.  --force, --clean-output and --dry-run never send
 * validators.  So a rerun asking for more than was made (summaries turned
 * on, YAML metadata, a screenplay, another summary provider: update.c)
 * always reads the feed and reaches its done episodes; one asking for the
 * same again costs a 304.
 */
#include "pipeline/internal.h"
#include "log/log.h"
#include "util/fs.h"
#include "util/hash.h"

#include <stdlib.h>
#include <string.h>

/* Settings that change nothing in a feed's outputs, left out of the fingerprint. */
static const char *const not_output_settings[] = {
	"run_id", "feeds", "rss", "feeds_file", "opml", "watch", "shard", "progress",
	"quiet", "log_level", "log_file", "json_logs", "workers", "delay_ms", "timeout",
	"http_retries", "user_agent", "crash_dir", "crash_handler", "config_path",
};

char *validators_settings_id(json_t *config_snapshot)
{
	json_t *copy = json_deep_copy(config_snapshot);
	char hex[HASH_SHA256_HEX];
	char *text;

	for (size_t i = 0; copy && i < ARRAY_SIZE(not_output_settings); i++)
		json_object_del(copy, not_output_settings[i]);
	text = copy ? json_dumps(copy, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	hash_sha256_hex(text ? text : "", text ? strlen(text) : 0, hex);
	free(text);
	json_decref(copy);
	return pc_strdup(hex);
}

void validators_load(struct feed_job *fj, struct net_request *req)
{
	const struct config *c = fj->run->cfg;
	struct sbuf err = SBUF_INIT(4096);

	if (c->dry_run || c->force || c->clean_output || !feedjob_open_existing_state(fj, false))
		goto out;
	/* stems an older version gave two episodes are repaired only by a full fetch */
	if (store_state_get_validators(fj->state, &fj->sent, &err) < 0 ||
	    strcmp(fj->sent.settings, fj->run->settings_id) ||
	    store_state_shared_stems(fj->state, &err) != 0) {
		store_validators_release(&fj->sent);
		goto out;
	}
	req->if_none_match = fj->sent.etag;
	req->if_modified_since = fj->sent.last_modified;
out:
	sbuf_release(&err);
}

void validators_keep(struct feed_job *fj, struct net_result *res)
{
	fj->unchanged = res->http_status == 304;
	if (fj->unchanged)
		fj->run->totals->feeds_unchanged++;
	fj->got.etag = res->etag;
	fj->got.last_modified = res->last_modified;
	res->etag = res->last_modified = NULL;
}

static bool nothing_left(const struct feed_job *fj)
{
	if (!fj->parsed || fj->failed || fj->run->stopping)
		return false;
	for (size_t i = 0; i < fj->nr_episodes; i++)
		if (fj->episodes[i].state != EP_DONE && fj->episodes[i].state != EP_SKIPPED)
			return false;
	return true;
}

void validators_save(struct feed_job *fj)
{
	struct sbuf err = SBUF_INIT(4096);
	bool keep = nothing_left(fj) && (fj->got.etag || fj->got.last_modified);
	int r;

	if (!fj->state || fj->run->cfg->dry_run || fj->unchanged)
		goto out;
	if (keep)
		fj->got.settings = pc_strdup(fj->run->settings_id);
	r = store_state_set_validators(fj->state, keep ? &fj->got : NULL, &err);
	if (r < 0)
		log_warn("write", "feed '%s': %s", fj->url, err.buf);
out:
	sbuf_release(&err);
}
