/*
 * cli.h - command-line parsing on top of the options schema (config/options.h).
 *
 * cli_parse() builds getopt_long's option array from the table (plus --config,
 * --help, --version and any subcommand extras), collects the flags, and then
 * fills struct config in precedence order: defaults < config file < env <
 * flags.  The config file is --config FILE, else PODCAST_SCRAPER_CONFIG.
 * Positional arguments land in c->positional.
 *
 * Returns CLI_RUN to go on, CLI_HELP / CLI_VERSION when the user asked for
 * those (nothing else parsed), -PC_EUSAGE for a usage error (exit 2; err
 * says what) and other negative codes for configuration errors (exit 1).
 */
#ifndef CLI_H
#define CLI_H

#include "config/config.h"

#include <stdio.h>

enum cli_result {
	CLI_RUN = 0, CLI_HELP = 1, CLI_VERSION = 2, CLI_HELP_MARKDOWN = 3,
	CLI_HELP_MAN = 4, CLI_HELP_COMPLETION = 5,
};

/* An option of one subcommand only (e.g. transcribe --format). */
struct cli_extra {
	const char *name;        /* long name */
	char short_name;
	const char *metavar;     /* NULL: a flag without value */
	const char *help;
	char **value;            /* set to a copy of the value ("1" for flags) */
};

int cli_parse(int argc, char **argv, struct config *c,
	      const struct cli_extra *extra, size_t nr_extra, struct sbuf *err);

/* --help for a subcommand ("run" for the main command). */
void cli_print_help(FILE *out, const char *usage, const char *summary,
		    const struct cli_extra *extra, size_t nr_extra, bool all_options);
/* The man page, roff (docs/podcast_scraper.1 is this output; help_man.c). */
void cli_print_man(FILE *out);
/* The bash completion script (contrib/bash-completion/podcast_scraper). */
void cli_print_bash_completion(FILE *out);
/* The options reference as Markdown (docs/OPTIONS.md is this output). */
void cli_print_options_markdown(FILE *out);
/* "max_episodes" -> "PODCAST_SCRAPER_MAX_EPISODES" (caller frees). */
char *cli_env_name(const char *key);
/* "max_episodes" -> "--max-episodes" (caller frees). */
char *cli_flag_name(const char *key);

#endif
