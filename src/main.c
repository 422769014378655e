/* main.c - placeholder entry point, replaced by the subcommand dispatcher. */
#include "util/pc.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--version")) {
		printf("podcast_scraper %s\n", PC_VERSION);
		return 0;
	}
	fprintf(stderr, "usage: podcast_scraper [OPTIONS] FEED...\n");
	return PC_EXIT_USAGE;
}
