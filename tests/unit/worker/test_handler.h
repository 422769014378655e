/*
 * test_handler.h - the "test" stage engine used by the worker tests.
 *
 * It runs in stage transcribe (so PODCAST_SCRAPER_INJECT_FAULT=transcribe:...
 * hits it) and does what the request asks, in this order:
 *	"allocate": N        pc_malloc(N) bytes (and free them)
 *	"touch": PATH        create PATH containing the process id
 *	"wait_for": PATH     wait (at most 10 s) until PATH exists
 *	"close_pipe": true   close every fd above 2 (the result pipe too)
 *	"sleep_ms": N        sleep
 *	"crash": "SIGSEGV"   die of that signal for real (crash_trigger)
 *	"exit": N            _exit(N)
 *	"exit_enomem": true  exit(255) with errno ENOMEM, as sphinxbase does
 *	                     when an allocation fails
 *	"hang": true         wait forever ("ignore_term": true ignores SIGTERM)
 *	"fail": "message"    return an engine error with that message
 * and then answers {"episode_id", "pid", "engine_jobs" (jobs this engine
 * instance served), "echo", "env_omp", "env_mkl", "language" (from the
 * config the engine got), "api_key_set"}.
 */
#ifndef TEST_HANDLER_H
#define TEST_HANDLER_H

#include "worker/worker.h"

extern const struct stage_handler test_stage_handler;

#endif
