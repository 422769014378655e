/*
 * worker_host.c - a stand-in for the podcast_scraper binary in the worker
 * tests: `worker_host worker test --config FILE` runs the real worker main
 * with the "test" engine registered, and nothing of the pipeline.
 */
#include "crash/crash.h"
#include "log/log.h"
#include "test_handler.h"

#include <string.h>

int main(int argc, char **argv)
{
	struct crash_options co = { true, ".", "worker", PC_VERSION };
	struct sbuf err = SBUF_INIT(4096);

	if (crash_install(&co, &err) < 0) {
		log_error("main", "%s", err.buf);
		return 2;
	}
	sbuf_release(&err);
	crash_thread_init("main");
	worker_register_handler(&test_stage_handler);
	if (argc > 1 && !strcmp(argv[1], "worker"))
		return worker_main(argc - 1, argv + 1);
	log_error("main", "usage: worker_host worker STAGE --config FILE");
	return 2;
}
