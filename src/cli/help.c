/*
 * help.c - --help and the Markdown options reference, both from the table.
 */
#include "cli/cli.h"
#include "config/options.h"

#include <stdlib.h>
#include <string.h>

static void option_synopsis(struct sbuf *sb, const struct opt_def *d)
{
	char *flag = cli_flag_name(d->key);

	if (d->short_name)
		sbuf_addf(sb, "-%c, ", d->short_name);
	if (d->type == OPTION_BOOL || d->type == OPTION_TRISTATE)
		sbuf_addf(sb, "--[no-]%s", flag + 2);
	else
		sbuf_addf(sb, "%s %s", flag, d->metavar ? d->metavar : "VALUE");
	free(flag);
}

static void choices_text(struct sbuf *sb, const struct opt_def *d)
{
	if (d->type != OPTION_CHOICE)
		return;
	sbuf_adds(sb, " (");
	for (int i = 0; d->choices[i]; i++)
		sbuf_addf(sb, "%s%s", i ? " | " : "", d->choices[i]);
	sbuf_adds(sb, ")");
}

static void default_text(struct sbuf *sb, const struct opt_def *d)
{
	if ((d->flags & OPT_SECRET) || strstr(d->help, "(default:"))
		return;
	if (d->def)
		sbuf_addf(sb, " [default: %s]", d->def);
	else if (d->type != OPTION_LIST)
		sbuf_adds(sb, " [default: none]");
}

static void print_option(FILE *out, const struct opt_def *d)
{
	struct sbuf syn = SBUF_INIT(SBUF_NOLIMIT), text = SBUF_INIT(SBUF_NOLIMIT);

	if (d->flags & OPT_NO_FLAG)
		sbuf_addf(&syn, "(%s)", d->key);
	else
		option_synopsis(&syn, d);
	sbuf_adds(&text, d->help);
	choices_text(&text, d);
	default_text(&text, d);
	if (d->legacy_env)
		sbuf_addf(&text, " (env %s)", d->legacy_env);
	if (d->alias)
		sbuf_addf(&text, " (alias %s)", d->alias);
	if (syn.len > 30)
		fprintf(out, "  %s\n  %-30s %s\n", syn.buf, "", text.buf);
	else
		fprintf(out, "  %-30s %s\n", syn.buf, text.buf);
	sbuf_release(&syn);
	sbuf_release(&text);
}

static void print_extra(FILE *out, const struct cli_extra *e)
{
	struct sbuf syn = SBUF_INIT(SBUF_NOLIMIT);

	if (e->short_name)
		sbuf_addf(&syn, "-%c, ", e->short_name);
	sbuf_addf(&syn, "--%s%s%s", e->name, e->metavar ? " " : "", e->metavar ? e->metavar : "");
	fprintf(out, "  %-30s %s\n", syn.buf, e->help);
	sbuf_release(&syn);
}

static void print_groups(FILE *out)
{
	size_t nr;
	const struct opt_def *t = options_table(&nr);

	for (int g = 0; g < GROUP__COUNT; g++) {
		fprintf(out, "\n%s:\n", options_group_title(g));
		for (size_t i = 0; i < nr; i++)
			if ((int)t[i].group == g)
				print_option(out, &t[i]);
	}
}

void cli_print_help(FILE *out, const char *usage, const char *summary,
		    const struct cli_extra *extra, size_t nr_extra, bool all_options)
{
	fprintf(out, "Usage: %s\n\n%s\n", usage, summary);
	if (nr_extra)
		fprintf(out, "\nCommand options:\n");
	for (size_t i = 0; i < nr_extra; i++)
		print_extra(out, &extra[i]);
	fprintf(out, "\nGeneral:\n"
		"  -c, --config FILE              YAML (.yaml/.yml) or JSON config file "
		"(env PODCAST_SCRAPER_CONFIG)\n"
		"  -h, --help                     show this help\n"
		"  -V, --version                  show the version\n");
	if (!all_options) {
		fprintf(out, "\nAll run options are accepted too; see podcast_scraper --help.\n");
		return;
	}
	print_groups(out);
	fprintf(out, "\nEvery option is also a config-file key (the long name with underscores:\n"
		"--max-episodes is max_episodes) and an environment variable\n"
		"(PODCAST_SCRAPER_MAX_EPISODES). Precedence: flag > environment > config file >\n"
		"default. Booleans take true/false/yes/no/on/off/1/0; --no-X negates --X.\n"
		"\nExit status: 0 all done or skipped, 1 fatal error, 2 usage error,\n"
		"3 finished with failed episodes or feeds (see runs/<id>/index.json).\n");
}

void cli_print_options_markdown(FILE *out)
{
	size_t nr;
	const struct opt_def *t = options_table(&nr);

	fprintf(out, "# Options\n\n"
		"Generated from the options table (`podcast_scraper --help-markdown`); a test\n"
		"checks that this file matches the program.\n\n"
		"Every key can be given as a flag, a config-file key or an environment variable.\n"
		"Precedence: flag > environment > config file > default.\n");
	for (int g = 0; g < GROUP__COUNT; g++) {
		fprintf(out, "\n## %s\n\n| key | flag | environment | default | description |\n"
			"|---|---|---|---|---|\n", options_group_title(g));
		for (size_t i = 0; i < nr; i++) {
			const struct opt_def *d = &t[i];
			char *flag, *env;
			struct sbuf text = SBUF_INIT(SBUF_NOLIMIT);

			if ((int)d->group != g)
				continue;
			flag = d->flags & OPT_NO_FLAG ? pc_strdup("") : cli_flag_name(d->key);
			env = cli_env_name(d->key);
			sbuf_adds(&text, d->help);
			choices_text(&text, d);
			fprintf(out, "| `%s` | %s%s%s | `%s`%s%s%s | %s | %s |\n", d->key,
				*flag ? "`" : "", flag, *flag ? "`" : "", env,
				d->legacy_env ? ", `" : "", d->legacy_env ? d->legacy_env : "", d->legacy_env ? "`" : "",
				d->def ? d->def : "", text.buf);
			free(flag);
			free(env);
			sbuf_release(&text);
		}
	}
}
