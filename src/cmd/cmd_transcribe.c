/*
 * cmd_transcribe.c - "podcast_scraper transcribe AUDIO": one audio file to a
 * transcript (txt, vtt, srt or segments JSON), through the same transcription
 * stage the pipeline uses (its handler, run in this process).
 */
#include "cmd/cmd.h"
#include "crash/crash.h"
#include "diarize/diarize.h"
#include "log/log.h"
#include "speakers/speakers.h"
#include "stages/stages.h"
#include "transcript/transcript.h"
#include "util/fs.h"
#include "util/stage.h"
#include "worker/worker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *opt_out, *opt_format;

static const struct cli_extra extras[] = {
	{ "out", 'o', "FILE", "write the transcript to FILE instead of standard output",
	  &opt_out },
	{ "format", 0, "FMT", "txt (default), vtt, srt or json (timed segments)", &opt_format },
};

static const struct cmd_usage usage = {
	"podcast_scraper transcribe [OPTIONS] AUDIO",
	"Transcribes one audio file (any format the ffmpeg libraries read) with the\n"
	"configured transcription_provider (pocketsphinx by default, embedded).\n"
	"--known-hosts and --speaker-names teach it names before it listens, and\n"
	"name the voices the diarizer finds (host first); --screenplay prints\n"
	"\"Name: text\" turns.",
	extras, ARRAY_SIZE(extras), false, "main",
};

/* The diarized voices get the configured names: host first, then guests. */
static void name_voices(const struct config *c, struct segment_list *segs,
			struct strlist *names)
{
	struct speakers_options so = { &c->known_hosts, &c->speaker_names, false };
	struct speaker_list sl = SPEAKER_LIST_INIT;
	struct strlist hosts = STRLIST_INIT, guests = STRLIST_INIT;

	speakers_detect(NULL, NULL, &so, NULL, &sl);
	speakers_hosts(&sl, &hosts);
	speakers_guests(&sl, &guests);
	diarize_name_voices(segs, (const char *const *)hosts.items, hosts.nr,
			    (const char *const *)guests.items, guests.nr, NULL);
	speakers_names_for_screenplay(&sl, names);
	speaker_list_release(&sl);
	strlist_release(&hosts);
	strlist_release(&guests);
}

static int render(const struct config *c, const char *format, struct segment_list *segs,
		  struct sbuf *out)
{
	struct strlist names = STRLIST_INIT;

	name_voices(c, segs, &names);
	if (!strcmp(format, "txt") && c->screenplay)
		transcript_to_screenplay_n(segs, (const char *const *)names.items, names.nr,
					   (size_t)c->num_speakers, c->screenplay_gap, out);
	else if (!strcmp(format, "txt"))
		transcript_to_paragraphs(segs, TRANSCRIPT_PARAGRAPH_PAUSE, out);
	else if (!strcmp(format, "vtt"))
		transcript_to_vtt(segs, out);
	else if (!strcmp(format, "srt"))
		transcript_to_srt(segs, out);
	else if (!strcmp(format, "json"))
		transcript_to_segments_json(segs, out);
	strlist_release(&names);
	return 0;
}

/* Runs the transcription handler on path; segments land in segs. */
static int transcribe_file(const struct config *c, const char *path,
			   struct segment_list *segs, struct sbuf *err)
{
	const struct stage_handler *h = worker_find_handler("transcribe");
	struct strlist words = STRLIST_INIT;
	struct sbuf data = SBUF_INIT(SBUF_NOLIMIT);
	char tmp[] = "/tmp/podcast_scraper_segments_XXXXXX";
	json_t *req = NULL, *resp = NULL;
	void *engine = NULL;
	int fd = mkstemp(tmp), r;

	if (fd < 0) {
		sbuf_setf(err, "cannot create a temporary file in /tmp");
		return -PC_EFAIL;
	}
	close(fd);
	strlist_copy(&words, &c->known_hosts);
	strlist_copy(&words, &c->speaker_names);
	r = h->open(c, &engine, err);
	if (!r) {
		req = stages_transcribe_request("cli", path, tmp, &words);
		crash_stage_enter(STAGE_TRANSCRIBE, path);
		r = h->run(engine, req, &resp, err);
		h->close(engine);
	}
	if (!r && !(r = fs_read_file(tmp, &data, err)))
		r = transcript_parse(TRANSCRIPT_JSON, data.buf, data.len, segs, err);
	unlink(tmp);
	json_decref(req);
	json_decref(resp);
	strlist_release(&words);
	sbuf_release(&data);
	return r;
}

static int check_usage(const struct config *c)
{
	if (c->positional.nr != 1) {
		cmd_error("transcribe takes one audio file (see transcribe --help)");
		return -1;
	}
	if (!opt_format)
		opt_format = pc_strdup("txt");
	if (strcmp(opt_format, "txt") && strcmp(opt_format, "vtt") &&
	    strcmp(opt_format, "srt") && strcmp(opt_format, "json")) {
		cmd_error("option --format: '%s' is not txt, vtt, srt or json", opt_format);
		return -1;
	}
	return 0;
}

int cmd_transcribe(int argc, char **argv)
{
	struct config c;
	struct segment_list segs = SEGMENT_LIST_INIT;
	struct sbuf err = SBUF_INIT(8192), out = SBUF_INIT(SBUF_NOLIMIT);
	int code;

	config_init(&c);
	code = cmd_setup(argc, argv, &c, &usage);
	if (code >= 0)
		goto done;
	code = PC_EXIT_USAGE;
	if (check_usage(&c) < 0)
		goto done;
	code = PC_EXIT_FATAL;
	if (transcribe_file(&c, c.positional.items[0], &segs, &err) < 0) {
		cmd_error("transcribe '%s': %s", c.positional.items[0], err.buf);
		goto done;
	}
	render(&c, opt_format, &segs, &out);
	code = cmd_emit(opt_out, &out);
done:
	segment_list_release(&segs);
	config_release(&c);
	sbuf_release(&err);
	sbuf_release(&out);
	pc_freep(&opt_out);
	pc_freep(&opt_format);
	return code;
}
