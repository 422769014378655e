/*
 * transcribe.c - episodes without a usable published transcript: download
 * the enclosure (resumable, size-capped) and hand it to the transcription
 * stage.
 *
 * Media goes to media/<stem>.<ext> when keep_media or download_media is on
 * (archive.c may have fetched it already), otherwise to
 * .work/<stem>.<ext> inside the feed folder, removed once transcribed; a
 * .part file left by a killed run is resumed with Range by the network layer.
 */
#include "pipeline/internal.h"
#include "crash/crash.h"
#include "log/log.h"
#include "util/fs.h"
#include "util/stage.h"
#include "util/timeutil.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The enclosure's extension, from its URL, else its type; "bin" if unknown. */
static char *media_ext(const struct episode *ep)
{
	const char *url = ep->media_url;
	size_t n = strcspn(url, "?#");
	const char *dot = NULL;

	for (size_t i = n; i > 0 && url[i - 1] != '/'; i--) {
		if (url[i - 1] == '.') {
			dot = url + i;
			break;
		}
	}
	if (dot && url + n - dot > 0 && url + n - dot <= 5)
		return pc_strndup(dot, (size_t)(url + n - dot));
	if (ep->media_type && strstr(ep->media_type, "mpeg"))
		return pc_strdup("mp3");
	if (ep->media_type && strstr(ep->media_type, "mp4"))
		return pc_strdup("m4a");
	if (ep->media_type && strstr(ep->media_type, "ogg"))
		return pc_strdup("ogg");
	if (ep->media_type && strstr(ep->media_type, "wav"))
		return pc_strdup("wav");
	return pc_strdup("bin");
}

bool media_kept(const struct config *c)
{
	return c->keep_media || c->download_media;
}

char *media_rel_path(const struct episode_job *ej)
{
	char *ext = media_ext(ej->ep);
	char *rel;

	if (media_kept(ej->fj->run->cfg)) {
		rel = store_relpath(STORE_MEDIA, ej->stem, ext);
	} else {
		struct sbuf sb = SBUF_INIT(SBUF_NOLIMIT);

		sbuf_addf(&sb, ".work/%s.%s", ej->stem, ext);
		rel = sbuf_detach(&sb, NULL);
	}
	free(ext);
	return rel;
}

void on_media_progress(void *udata, long long bytes, long long total)
{
	log_progress_bytes(udata, bytes, total);
}

void media_download_settle(struct episode_job *ej)
{
	const struct net_result *res = ej->net_res;

	if (res->code == -PC_EINTR) {
		episode_record_interrupt(ej, "download");
		return;
	}
	if (res->code < 0) {
		episode_record_failure(ej, "download", "%s", res->err.buf);
		return;
	}
	if (ej->fj->artifacts) {
		store_run_count(ej->fj->artifacts, STORE_BYTES_DOWNLOADED, res->bytes);
		store_run_count(ej->fj->artifacts, STORE_RETRIES, res->attempts - 1);
	}
	ej->outcome = EP_OUT_OK;
}

static void start_download(struct episode_job *ej, const char *path)
{
	struct net_request req = { 0 };

	crash_stage_enter(STAGE_DOWNLOAD, ej->id);
	req.url = ej->ep->media_url;
	req.dest_path = path;
	req.max_bytes = (size_t)ej->fj->run->cfg->max_media_bytes;
	req.done = episode_transfer_done;
	req.progress = on_media_progress;
	req.udata = ej;
	net_add(ej->fj->run->net, &req);
}

void media_download_enter(struct episode_job *ej)
{
	struct sbuf err = SBUF_INIT(4096);
	char *path, *parent;

	free(ej->media_rel);
	ej->media_rel = media_rel_path(ej);
	path = fs_join(ej->fj->dir, ej->media_rel);
	parent = pc_strdup(path);

	*strrchr(parent, '/') = '\0';
	if (fs_mkdir_p(parent, &err) < 0) {
		episode_record_failure(ej, "download", "%s", err.buf);
	} else if ((ej->fj->run->cfg->reuse_media || ej->archived) && fs_exists(path)) {
		/* an archived enclosure (--download-media) is the file to transcribe */
		log_info("download", "episode '%s': reusing %s", ej->stem, ej->media_rel);
		ej->outcome = EP_OUT_OK;
	} else {
		start_download(ej, path);
	}
	free(path);
	free(parent);
	sbuf_release(&err);
}
