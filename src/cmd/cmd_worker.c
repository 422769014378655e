/*
 * cmd_worker.c - `podcast_scraper worker STAGE --config FILE`: a supervised
 * stage worker, started by the pipeline in isolation: process.  Not for
 * users and not in --help; everything it does is in src/worker.
 */
#include "cmd/cmd.h"
#include "worker/worker.h"

int cmd_worker(int argc, char **argv)
{
	return worker_main(argc, argv);
}
