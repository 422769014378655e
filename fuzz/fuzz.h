/*
 * fuzz.h - what the libFuzzer targets in this folder share.
 *
 * Each fuzz_<name>.c defines LLVMFuzzerTestOneInput() for one parser.  With
 * clang and -Dfuzz=true they link against libFuzzer (make fuzz); in every
 * other build they link against standalone.c, whose main() feeds each file
 * named on the command line once, so the seeds and every input that once
 * crashed (fuzz/regress/) run in the ordinary test suite.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a NUL-terminated string (pc_malloc'd; free() it). */
char *fuzz_cstr(const uint8_t *data, size_t size);

/* Aborts with a message when an invariant the parser promises is broken. */
#define FUZZ_CHECK(cond) \
	do { if (!(cond)) fuzz_fail(#cond, __FILE__, __LINE__); } while (0)
void fuzz_fail(const char *what, const char *file, int line);

#endif
