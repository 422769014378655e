/*
 * archive.c - --download-media: every selected episode's enclosure is kept
 * under media/<stem>.<ext>, whether or not a transcript is published.
 *
 * The ARCHIVE_MEDIA step downloads the enclosure first (resumable from a
 * .part, renamed into place only when complete, size-capped by
 * max_media_bytes, as for transcription); then the episode goes on as from
 * NEW: its published transcript, or the transcription of that very file
 * (never downloaded twice).  An enclosure already in media/ is not fetched
 * again, so a rerun only adds what is missing, also for episodes finished
 * by earlier runs without archive mode (those are then skipped again).
 */
#include "pipeline/internal.h"
#include "crash/crash.h"
#include "log/log.h"
#include "util/fs.h"
#include "util/stage.h"

#include <stdlib.h>
#include <string.h>

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
	free(ej->media_rel);
	ej->media_rel = media_rel_path(ej);
	path = fs_join(ej->fj->dir, ej->media_rel);
	missing = !fs_exists(path);
	free(path);
	ej->archived = !missing;
	return missing;
}

void archive_enter(struct episode_job *ej)
{
	struct sbuf err = SBUF_INIT(4096);
	char *path = fs_join(ej->fj->dir, ej->media_rel);
	char *parent = pc_strdup(path);
	struct net_request req = { 0 };

	*strrchr(parent, '/') = '\0';
	if (fs_mkdir_p(parent, &err) < 0) {
		episode_record_failure(ej, "download", "%s", err.buf);
		goto out;
	}
	crash_stage_enter(STAGE_DOWNLOAD, ej->id);
	req.url = ej->ep->media_url;
	req.dest_path = path;
	req.max_bytes = (size_t)ej->fj->run->cfg->max_media_bytes;
	req.done = episode_transfer_done;
	req.progress = on_media_progress;
	req.udata = ej;
	net_add(ej->fj->run->net, &req);
out:
	free(path);
	free(parent);
	sbuf_release(&err);
}

void archive_settle(struct episode_job *ej)
{
	media_download_settle(ej);	/* the same transfer, kept under media/ */
	if (ej->outcome != EP_OUT_OK)
		return;
	ej->archived = true;
	log_info("download", "episode '%s': archived %s (%lld bytes)", ej->stem, ej->media_rel,
		 ej->net_res->bytes);
}
