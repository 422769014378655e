/*
 * main.c - argv to subcommand.
 *
 * The first argument names a subcommand when it is one of commands[];
 * otherwise the whole command line belongs to the default command, the
 * pipeline run.  After the command, stdout is flushed and closed and a write
 * error there fails the program, so `podcast_scraper ... > full-disk` never
 * reports success.
 */
#include "cmd/cmd.h"
#include "crash/crash.h"
#include "log/log.h"
#include "stages/stages.h"
#include "util/stage.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
};

static const struct command commands[] = {
	{ "doctor", cmd_doctor },
	{ "summarize", cmd_summarize },
	{ "transcribe", cmd_transcribe },
	{ "worker", cmd_worker },
};

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static int finish_stdout(int code)
{
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		log_error("main", "cannot write to standard output: %s", strerror(errno));
		return code ? code : PC_EXIT_FATAL;
	}
	return code;
}

int main(int argc, char **argv)
{
	const struct command *cmd = argc > 1 ? find_command(argv[1]) : NULL;
	struct crash_options co = { true, ".", cmd && !strcmp(cmd->name, "worker") ?
				    "worker" : "main", PC_VERSION };
	struct sbuf err = SBUF_INIT(4096);
	int code;

	/* First thing: a crash anywhere after this line leaves a dump. */
	if (crash_install(&co, &err) < 0) {
		log_error("main", "%s", err.buf);
		sbuf_release(&err);
		return PC_EXIT_USAGE;
	}
	sbuf_release(&err);
	crash_thread_init("main");
	stages_register();
	crash_stage_enter(STAGE_STARTUP, NULL);
	if (cmd)
		code = cmd->fn(argc - 1, argv + 1);
	else
		code = cmd_run(argc, argv);
	return finish_stdout(code);
}
