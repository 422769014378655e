/*
 * help_man.c - the man page and the bash completion, both from the options
 * table, like --help and docs/OPTIONS.md: an option added to the table
 * appears in all of them, and tests fail while the shipped files are stale.
 */
#include "cli/cli.h"
#include "config/options.h"

#include <stdlib.h>
#include <string.h>

/* Text escaped for roff: backslashes and dashes, and a leading dot or quote. */
static void roff(FILE *out, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", out);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '-')
			fputs("\\-", out);
		else
			fputc(*s, out);
	}
}

static void man_option_head(FILE *out, const struct opt_def *d)
{
	char *flag = cli_flag_name(d->key);

	fputs(".TP\n", out);
	if (d->flags & OPT_NO_FLAG) {
		fputs(".B ", out);
		roff(out, d->key);
		fputs("\n", out);
	} else {
		if (d->short_name)
			fprintf(out, "\\fB\\-%c\\fR, ", d->short_name);
		fputs("\\fB", out);
		roff(out, d->type == OPTION_BOOL || d->type == OPTION_TRISTATE ? "--[no-]" : "--");
		roff(out, flag + 2);
		fputs("\\fR", out);
		if (d->type != OPTION_BOOL && d->type != OPTION_TRISTATE) {
			fputs(" \\fI", out);
			roff(out, d->metavar ? d->metavar : "VALUE");
			fputs("\\fR", out);
		}
		fputs("\n", out);
	}
	free(flag);
}

static void man_option_body(FILE *out, const struct opt_def *d)
{
	char *env = cli_env_name(d->key);

	roff(out, d->help);
	if (d->type == OPTION_CHOICE) {
		fputs(". One of:", out);
		for (int i = 0; d->choices[i]; i++)
			fprintf(out, "%s \\fB%s\\fR", i ? "," : "", d->choices[i]);
	}
	if (d->def && !(d->flags & OPT_SECRET)) {
		fputs(". Default: \\fB", out);
		roff(out, d->def);
		fputs("\\fR", out);
	}
	fputs(".\n.br\nConfig key \\fB", out);
	roff(out, d->key);
	fputs("\\fR, environment \\fB", out);
	roff(out, env);
	fputs("\\fR", out);
	if (d->legacy_env) {
		fputs(" or \\fB", out);
		roff(out, d->legacy_env);
		fputs("\\fR", out);
	}
	if (d->alias) {
		fputs("; also accepted as \\fB", out);
		roff(out, d->alias);
		fputs("\\fR", out);
	}
	fputs(".\n", out);
	free(env);
}

static const char man_head[] =
	".TH PODCAST_SCRAPER 1 \"\" \"podcast_scraper " PC_VERSION "\" \"User Commands\"\n"
	".SH NAME\n"
	"podcast_scraper \\- keep transcripts, speakers, summaries and metadata of podcast feeds\n"
	".SH SYNOPSIS\n"
	".B podcast_scraper\n[\\fIOPTIONS\\fR] \\fIFEED\\fR...\n.br\n"
	".B podcast_scraper transcribe\n[\\fIOPTIONS\\fR] \\fIAUDIO\\fR\n.br\n"
	".B podcast_scraper summarize\n[\\fIOPTIONS\\fR] \\fITEXT\\fR\n.br\n"
	".B podcast_scraper doctor\n"
	".SH DESCRIPTION\n"
	"Reads podcast feeds (http(s) URLs, file:// URLs or local paths) and keeps every\n"
	"episode's transcript: the published one, or one made locally from the audio\n"
	"(pocketsphinx) or by an OpenAI\\-compatible speech server. It names the speakers,\n"
	"summarizes and writes per\\-episode metadata. A rerun does only what is missing.\n"
	"With \\fB\\-\\-watch\\fR it keeps the feeds current, fetching unchanged feeds with\n"
	"conditional requests; with \\fB\\-\\-shard\\fR several machines split a feed list.\n"
	".SH COMMANDS\n"
	".TP\n.B podcast_scraper \\fIFEED\\fR...\n"
	"The pipeline over the feeds (the default command).\n"
	".TP\n.B transcribe \\fIAUDIO\\fR\nTranscribe one audio file.\n"
	".TP\n.B summarize \\fITEXT\\fR\nSummarize one transcript.\n"
	".TP\n.B doctor\nCheck libraries, models and folders.\n"
	".TP\n.B worker\nInternal: a supervised engine process, started by the program itself.\n"
	".SH OPTIONS\n"
	".TP\n\\fB\\-c\\fR, \\fB\\-\\-config\\fR \\fIFILE\\fR\n"
	"YAML (.yaml/.yml) or JSON config file; environment \\fBPODCAST_SCRAPER_CONFIG\\fR.\n"
	".TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\nShow the options with their defaults.\n"
	".TP\n\\fB\\-V\\fR, \\fB\\-\\-version\\fR\nShow the version.\n"
	".PP\n"
	"Every option is also a config\\-file key (the long name with underscores) and an\n"
	"environment variable. Precedence: flag > environment > config file > default.\n"
	"Booleans take true/false/yes/no/on/off/1/0; \\fB\\-\\-no\\-X\\fR negates \\fB\\-\\-X\\fR.\n";

static const char man_tail[] =
	".SH ENVIRONMENT\n"
	".TP\n.B PODCAST_SCRAPER_\\fIKEY\\fR\nAny option, by its config key in upper case (above).\n"
	".TP\n.B PODCAST_SCRAPER_CONFIG\nThe config file, as \\fB\\-\\-config\\fR.\n"
	".TP\n.B OPENAI_API_KEY\nAPI key for OpenAI\\-compatible servers; never logged or written.\n"
	".TP\n.B JOB_COMPLETION_INDEX\\fR, \\fBPODCAST_SCRAPER_SHARD_TOTAL\n"
	"Read by \\fB\\-\\-shard auto\\fR in a Kubernetes Indexed Job.\n"
	".TP\n.B SLURM_ARRAY_TASK_ID\\fR, \\fBSLURM_ARRAY_TASK_MIN\\fR, \\fBSLURM_ARRAY_TASK_COUNT\n"
	"Read by \\fB\\-\\-shard auto\\fR in a Slurm job array.\n"
	".TP\n.B PODCAST_SCRAPER_INJECT_FAULT\n"
	"For tests: \\fIstage\\fR:\\fISIGNAL\\fR[:\\fIn\\fR] raises a real signal in that stage "
	"(\\fBHANG\\fR: hangs it, \\fBSLEEP\\fIs\\fR: stalls it for \\fIs\\fR seconds).\n"
	".SH FILES\n"
	".TP\n.I <output_dir>/<feed>/state.sqlite\n"
	"What is done per episode, and the feed's HTTP validators, for incremental reruns.\n"
	".TP\n.I <output_dir>/<feed>/runs/<run_id>/\nManifest, metrics and index of each run.\n"
	".TP\n.I <crash_dir>/crash_dump_<pid>.log\nWritten on a crash, with native backtraces.\n"
	".SH SIGNALS\n"
	".TP\n.B SIGINT\\fR, \\fBSIGTERM\n"
	"Stop: transfers end, finished files stay, the next run does the rest. With\n"
	"\\fB\\-\\-watch\\fR the program then exits with status 0 (at once while sleeping).\n"
	".TP\n.B SIGHUP\nWith \\fB\\-\\-watch\\fR: reread the configuration before the next cycle.\n"
	".SH EXIT STATUS\n"
	".TP\n.B 0\nAll done or skipped (and a \\fB\\-\\-watch\\fR stopped by a signal).\n"
	".TP\n.B 1\nFatal: bad config, no feed readable, output not writable.\n"
	".TP\n.B 2\nUsage error.\n"
	".TP\n.B 3\nFinished, but an episode or feed failed (runs/<id>/index.json says which).\n"
	".TP\n.B 128+N\nStopped by signal N (without \\fB\\-\\-watch\\fR); a crash ends the process\n"
	"by its signal after writing a crash dump.\n"
	".SH SEE ALSO\n"
	"The options reference docs/OPTIONS.md, docs/SCALE.md and docs/CRASH_MITIGATION.md\n"
	"in /usr/share/doc/podcast_scraper.\n";

void cli_print_man(FILE *out)
{
	size_t nr;
	const struct opt_def *t = options_table(&nr);

	fputs(man_head, out);
	for (int g = 0; g < GROUP__COUNT; g++) {
		fprintf(out, ".SS %s\n", options_group_title(g));
		for (size_t i = 0; i < nr; i++) {
			if ((int)t[i].group != g)
				continue;
			man_option_head(out, &t[i]);
			man_option_body(out, &t[i]);
		}
	}
	fputs(man_tail, out);
}

/* ---- bash completion ---- */

static void completion_flags(FILE *out, const struct opt_def *t, size_t nr)
{
	fputs("\tlocal opts=\"-c --config -h --help -V --version", out);
	for (size_t i = 0; i < nr; i++) {
		char *flag;

		if (t[i].flags & OPT_NO_FLAG)
			continue;
		flag = cli_flag_name(t[i].key);
		fprintf(out, " %s", flag);
		if (t[i].type == OPTION_BOOL || t[i].type == OPTION_TRISTATE)
			fprintf(out, " --no-%s", flag + 2);
		if (t[i].short_name)
			fprintf(out, " -%c", t[i].short_name);
		free(flag);
	}
	fputs(" \"\n", out);   /* every name has a space on both sides */
}

/* What the option's value completes to: its choices, files, or nothing. */
static void completion_value(FILE *out, const struct opt_def *d)
{
	char *flag = cli_flag_name(d->key);

	fprintf(out, "\t%s", flag);
	if (d->short_name)
		fprintf(out, "|-%c", d->short_name);
	if (d->type == OPTION_CHOICE) {
		fputs(")\n\t\tCOMPREPLY=($(compgen -W \"", out);
		for (int i = 0; d->choices[i]; i++)
			fprintf(out, "%s%s", i ? " " : "", d->choices[i]);
		fputs("\" -- \"$cur\"))\n\t\treturn ;;\n", out);
	} else if (d->type == OPTION_PATH) {
		fputs(")\n\t\tcompopt -o filenames 2>/dev/null\n"
		      "\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n\t\treturn ;;\n", out);
	} else {
		fputs(")\n\t\treturn ;;\n", out);
	}
	free(flag);
}

void cli_print_bash_completion(FILE *out)
{
	size_t nr;
	const struct opt_def *t = options_table(&nr);

	fputs("# bash completion for podcast_scraper, generated from its options table\n"
	      "# (podcast_scraper --help-completion); a test checks it matches the program.\n"
	      "_podcast_scraper()\n{\n"
	      "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n", out);
	completion_flags(out, t, nr);
	fputs("\tcase $prev in\n"
	      "\t-c|--config)\n\t\tcompopt -o filenames 2>/dev/null\n"
	      "\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n\t\treturn ;;\n", out);
	for (size_t i = 0; i < nr; i++)
		if (!(t[i].flags & OPT_NO_FLAG) && t[i].type != OPTION_BOOL &&
		    t[i].type != OPTION_TRISTATE)
			completion_value(out, &t[i]);
	fputs("\tesac\n"
	      "\tif [[ $COMP_CWORD -eq 1 && $cur != -* ]]; then\n"
	      "\t\tCOMPREPLY=($(compgen -W \"transcribe summarize doctor\" -- \"$cur\"))\n"
	      "\t\tcompopt -o filenames 2>/dev/null\n"
	      "\t\tCOMPREPLY+=($(compgen -f -- \"$cur\"))\n"
	      "\telif [[ $cur == -* ]]; then\n"
	      "\t\tCOMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
	      "\telse\n"
	      "\t\tcompopt -o filenames 2>/dev/null\n"
	      "\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n"
	      "\tfi\n}\n"
	      "complete -F _podcast_scraper podcast_scraper\n", out);
}
