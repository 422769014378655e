/*
 * stage.h - the fixed names of pipeline stages.
 *
 * Used by logs, the crash context and the fault injector, so a crash dump,
 * a log line and PODCAST_SCRAPER_INJECT_FAULT all speak of the same stage.
 */
#ifndef STAGE_H
#define STAGE_H

enum stage {
	STAGE_STARTUP,
	STAGE_CONFIG,
	STAGE_FETCH,
	STAGE_PARSE,
	STAGE_DOWNLOAD,
	STAGE_DECODE,
	STAGE_TRANSCRIBE,
	STAGE_SPEAKERS,
	STAGE_SUMMARIZE,
	STAGE_WRITE,
	STAGE__COUNT
};

const char *stage_name(enum stage s);
/* Returns the stage called name, or -1. */
int stage_from_name(const char *name);

#endif
