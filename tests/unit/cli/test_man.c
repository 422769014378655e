/*
 * The shipped man page and bash completion: each matches what the program
 * generates from its options table, and names every option of the table
 * (flag, config key, environment variable, choices).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "config/options.h"
#include "util/fs.h"

static char *shipped(const char *rel)
{
	struct sbuf doc = SBUF_INIT(1 << 20), err = SBUF_INIT(1024);
	char *path = fs_join(getenv("TEST_SRCDIR"), rel);

	if (fs_read_file(path, &doc, &err) < 0)
		fail_msg("%s", err.buf);
	free(path);
	sbuf_release(&err);
	return sbuf_detach(&doc, NULL);
}

static char *generated(void (*print)(FILE *))
{
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	print(f);
	fclose(f);
	return text;
}

/* s with every '-' written as roff's "\-". */
static char *roff_dashes(const char *s)
{
	struct sbuf sb = SBUF_INIT(SBUF_NOLIMIT);

	for (; *s; s++)
		*s == '-' ? sbuf_adds(&sb, "\\-") : sbuf_addch(&sb, *s);
	return sbuf_detach(&sb, NULL);
}

static void expect_in(const char *text, const char *what, const char *file)
{
	if (!strstr(text, what))
		fail_msg("%s lacks '%s'", file, what);
}

static void man_page_is_current(void **state)
{
	char *doc = shipped("../docs/podcast_scraper.1");
	char *text = generated(cli_print_man);

	(void)state;
	if (strcmp(doc, text))
		fail_msg("docs/podcast_scraper.1 is stale: regenerate with "
			 "podcast_scraper --help-man > docs/podcast_scraper.1");
	free(doc);
	free(text);
}

static void man_option_names(const char *man, const struct opt_def *d)
{
	char *flag = cli_flag_name(d->key), *env = cli_env_name(d->key);
	char *rflag = roff_dashes(flag + 2), *renv = roff_dashes(env);
	char *rkey = roff_dashes(d->key);

	if (!(d->flags & OPT_NO_FLAG))
		expect_in(man, rflag, "the man page");
	expect_in(man, rkey, "the man page");
	expect_in(man, renv, "the man page");
	if (d->legacy_env)
		expect_in(man, d->legacy_env, "the man page");
	for (int i = 0; d->type == OPTION_CHOICE && d->choices[i]; i++)
		expect_in(man, d->choices[i], "the man page");
	free(flag);
	free(env);
	free(rflag);
	free(renv);
	free(rkey);
}

static void man_page_covers_the_table(void **state)
{
	static const char *const sections[] = {
		".SH COMMANDS", ".B transcribe", ".B summarize", ".B doctor",
		".SH ENVIRONMENT", "OPENAI_API_KEY", "PODCAST_SCRAPER_CONFIG",
		"JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID", ".SH EXIT STATUS",
		".B 0\n", ".B 1\n", ".B 2\n", ".B 3\n", ".SH SIGNALS", "SIGHUP",
	};
	char *man = shipped("../docs/podcast_scraper.1");
	size_t nr;
	const struct opt_def *t = options_table(&nr);

	(void)state;
	for (size_t i = 0; i < nr; i++)
		man_option_names(man, &t[i]);
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		expect_in(man, sections[i], "the man page");
	free(man);
}

static void completion_is_current(void **state)
{
	char *doc = shipped("../contrib/bash-completion/podcast_scraper");
	char *text = generated(cli_print_bash_completion);

	(void)state;
	if (strcmp(doc, text))
		fail_msg("contrib/bash-completion/podcast_scraper is stale: regenerate with "
			 "podcast_scraper --help-completion > contrib/bash-completion/podcast_scraper");
	free(doc);
	free(text);
}

static void completion_covers_the_table(void **state)
{
	char *comp = shipped("../contrib/bash-completion/podcast_scraper");
	char want[256];
	size_t nr;
	const struct opt_def *t = options_table(&nr);

	(void)state;
	for (size_t i = 0; i < nr; i++) {
		char *flag = cli_flag_name(t[i].key);

		snprintf(want, sizeof(want), " %s ", flag);
		if (!(t[i].flags & OPT_NO_FLAG))
			expect_in(comp, want, "the completion");
		for (int c = 0; t[i].type == OPTION_CHOICE && t[i].choices[c]; c++)
			expect_in(comp, t[i].choices[c], "the completion");
		free(flag);
	}
	free(comp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(man_page_is_current),
		cmocka_unit_test(man_page_covers_the_table),
		cmocka_unit_test(completion_is_current),
		cmocka_unit_test(completion_covers_the_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
