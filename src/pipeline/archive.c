/*
 * archive.c - --download-media: every selected episode's enclosure is kept
 * under media/<stem>.<ext>, whether or not a transcript is published.
 *
 * The enclosure is downloaded first (state DOWNLOAD_MEDIA: resumable from a
 * .part, renamed into place only when complete, size-capped by
 * max_media_bytes, as for transcription), then the episode goes on as
 * usual: its published transcript, or the transcription of that very file
 * (never downloaded twice).  An enclosure already in media/ is not fetched
 * again, so a rerun only adds what is missing, also for episodes finished
 * by earlier runs without archive mode.  With transcribe_missing off, an
 * episode without a published transcript is archived and skipped, not failed.
 */
#include "pipeline/internal.h"
#include "crash/crash.h"
#include "log/log.h"
#include "util/fs.h"
#include "util/stage.h"
#include "util/timeutil.h"

#include <stdlib.h>
#include <string.h>

/* The enclosure's final path in the feed folder (caller frees). */
static char *archive_path(struct episode_job *ej)
{
	char *rel = media_rel_path(ej);
	char *path = fs_join(ej->fj->dir, rel);

	free(ej->media_rel);
	ej->media_rel = rel;
	return path;
}

bool archive_wanted(struct episode_job *ej)
{
	char *path;
	bool missing;

	if (!ej->fj->run->cfg->download_media || !ej->ep->media_url)
		return false;
	if (!episode_url_allowed(ej, ej->ep->media_url)) {
		log_warn("download", "episode '%s': enclosure URL '%s' refused (only http(s) "
			 "links are followed from a remote feed)", ej->stem, ej->ep->media_url);
		return false;
	}
	path = archive_path(ej);
	missing = !fs_exists(path);
	free(path);
	ej->archived = !missing;
	return missing;
}

/* Done before, only the enclosure was missing: skipped again, now archived. */
static void finish_archive_only(struct episode_job *ej)
{
	ep_set_state(ej, EP_SKIPPED);
	ej->fj->run->totals->skipped++;
	output_index_row(ej);
}

static void on_archived(struct net *net, struct net_result *res, void *udata)
{
	struct episode_job *ej = udata;

	(void)net;
	ej->t_download += time_mono() - ej->started;
	if (res->code == -PC_EINTR) {
		episode_interrupted(ej, "download");
		return;
	}
	if (res->code < 0) {
		episode_fail(ej, "download", "%s", res->err.buf);
		return;
	}
	if (ej->fj->artifacts) {
		store_run_count(ej->fj->artifacts, STORE_BYTES_DOWNLOADED, res->bytes);
		store_run_count(ej->fj->artifacts, STORE_RETRIES, res->attempts - 1);
	}
	ej->archived = true;
	log_info("download", "episode '%s': archived %s (%lld bytes)", ej->stem, ej->media_rel,
		 res->bytes);
	if (ej->archive_only)
		finish_archive_only(ej);
	else
		episode_after_archive(ej);
}

void archive_start(struct episode_job *ej)
{
	struct sbuf err = SBUF_INIT(4096);
	char *path = fs_join(ej->fj->dir, ej->media_rel);
	char *parent = pc_strdup(path);
	struct net_request req = { 0 };

	*strrchr(parent, '/') = '\0';
	ep_set_state(ej, EP_DOWNLOAD_MEDIA);
	if (fs_mkdir_p(parent, &err) < 0) {
		episode_fail(ej, "download", "%s", err.buf);
		goto out;
	}
	crash_stage_enter(STAGE_DOWNLOAD, ej->id);
	req.url = ej->ep->media_url;
	req.dest_path = path;
	req.max_bytes = (size_t)ej->fj->run->cfg->max_media_bytes;
	req.done = on_archived;
	req.progress = on_media_progress;
	req.udata = ej;
	net_add(ej->fj->run->net, &req);
out:
	free(path);
	free(parent);
	sbuf_release(&err);
}
