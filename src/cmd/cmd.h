/*
 * cmd.h - the subcommands, one file each (cmd_<name>.c).
 *
 * main() picks the subcommand by name and calls it with the arguments that
 * follow the name (argv[0] is the subcommand name, or the program name for
 * the default run command).  Each returns an exit code (enum pc_exit).
 * cmd_setup() is the common start of every subcommand: parse options in
 * their layers, set up logging and the crash handler from the config.
 */
#ifndef CMD_H
#define CMD_H

#include "cli/cli.h"
#include "config/config.h"

int cmd_run(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_transcribe(int argc, char **argv);
int cmd_summarize(int argc, char **argv);
int cmd_worker(int argc, char **argv);

/* Describes a subcommand's command line for cmd_setup and --help. */
struct cmd_usage {
	const char *usage;      /* "podcast_scraper doctor [OPTIONS]" */
	const char *summary;    /* a paragraph shown under the usage line */
	const struct cli_extra *extra;
	size_t nr_extra;
	bool all_options;       /* list the whole options table in --help */
	const char *role;       /* process role for logs and crash dumps */
};

/*
 * Parses argv into c (config_init'ed by the caller) and applies logging and
 * crash settings.  Returns -1 to go on, else the exit code to return now
 * (after --help, --version or an error, already reported).
 */
int cmd_setup(int argc, char **argv, struct config *c, const struct cmd_usage *u);

/* Reports a fatal error the way every command does (one log line). */
void cmd_error(const char *fmt, ...) PC_PRINTF(1, 2);

/*
 * A command's result: written atomically to out_path, or to stdout when
 * out_path is NULL.  Returns PC_EXIT_OK, or PC_EXIT_FATAL after reporting.
 */
int cmd_emit(const char *out_path, const struct sbuf *data);

#endif
