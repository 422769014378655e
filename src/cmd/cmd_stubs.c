/*
 * cmd_stubs.c - subcommands whose stages are not part of this build yet.
 * They parse their options (so --help works) and say plainly what is missing.
 */
#include "cmd/cmd.h"

static int not_available(int argc, char **argv, const struct cmd_usage *u, const char *what)
{
	struct config c;
	int code;

	config_init(&c);
	code = cmd_setup(argc, argv, &c, u);
	if (code < 0) {
		cmd_error("%s is not available in this build", what);
		code = PC_EXIT_FATAL;
	}
	config_release(&c);
	return code;
}

int cmd_transcribe(int argc, char **argv)
{
	static const struct cmd_usage u = {
		"podcast_scraper transcribe [OPTIONS] AUDIO",
		"Transcribes one local audio file.", NULL, 0, false, "main",
	};
	return not_available(argc, argv, &u, "transcription");
}
