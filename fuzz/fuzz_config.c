/*
 * fuzz_config.c - config_load_file() on a YAML or JSON file (FUZZ_SUFFIX,
 * set by the build).  The loader reads paths, so each input is written to
 * one private temporary file first, in memory (/dev/shm) when there is one:
 * rewriting a file on disk costs more than the parse.
 */
#include "fuzz.h"
#include "config/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#ifndef FUZZ_SUFFIX
#error "FUZZ_SUFFIX must be .yaml or .json"
#endif

static char path[256];

static void remove_file(void)
{
	unlink(path);
}

static int write_input(const uint8_t *data, size_t size)
{
	FILE *fp;

	if (!path[0]) {
		snprintf(path, sizeof(path), "%s/pc_fuzz_config_%d%s",
			 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp", (int)getpid(),
			 FUZZ_SUFFIX);
		atexit(remove_file);
	}
	fp = fopen(path, "wb");
	if (!fp)
		return -1;
	if (size && fwrite(data, 1, size, fp) != size) {
		fclose(fp);
		return -1;
	}
	return fclose(fp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c;
	struct sbuf err = SBUF_INIT(4096);

	if (write_input(data, size) < 0)
		return 0;
	config_init(&c);
	if (config_load_file(&c, path, &err) < 0)
		FUZZ_CHECK(err.len > 0);
	else
		(void)config_validate(&c, &err);
	config_release(&c);
	sbuf_release(&err);
	return 0;
}
