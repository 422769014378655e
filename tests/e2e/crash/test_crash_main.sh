#!/usr/bin/env bash
# Crashes of the main process: each fatal signal, raised by the fault
# injector at the config stage, leaves a crash dump and ends the process by
# that same signal; with the handler off there is no dump.
set -e
. "$TEST_SRCDIR/lib/assert.sh"
cd "$T_WORK"
printf '<rss version="2.0"><channel><title>t</title></channel></rss>\n' > feed.xml

for sig in SEGV BUS FPE ILL ABRT; do
	dumps="$T_WORK/dumps_$sig"
	mkdir -p "$dumps"
	PODCAST_SCRAPER_INJECT_FAULT="config:SIG$sig" run_ps --dry-run --crash-dir "$dumps" feed.xml
	num=$(kill -l "$sig")
	expect_status $((128 + num))
	dump=$(ls "$dumps"/crash_dump_*.log 2>/dev/null | head -1)
	check "SIG$sig: a crash dump was written" test -s "$dump"
	expect_in "$dump" "SIG$sig"
	expect_in "$dump" "config"
	expect_in "$dump" "podcast_scraper"
	# a symbolized frame from our own code, with its source file
	check "SIG$sig: symbolized frame" grep -qE '(cmd_setup|cmd_run|main) .*src/.*\.c:[0-9]+' "$dump"
	# the last log lines are in the dump
	check "SIG$sig: log lines" grep -qE 'INFO|DEBUG' "$dump"
	expect_in "$T_WORK/err" "crash dump written to"
done

# The handler off: the same signal, no dump.
dumps="$T_WORK/dumps_off"
mkdir -p "$dumps"
PODCAST_SCRAPER_CRASH_HANDLER=0 PODCAST_SCRAPER_INJECT_FAULT=config:SIGSEGV \
	run_ps --dry-run --crash-dir "$dumps" feed.xml
expect_status $((128 + 11))
check "no dump with the handler off" test -z "$(ls "$dumps")"
PODCAST_SCRAPER_INJECT_FAULT=config:SIGSEGV run_ps --no-crash-handler --dry-run \
	--crash-dir "$dumps" feed.xml
expect_status $((128 + 11))
check "no dump with --no-crash-handler" test -z "$(ls "$dumps")"

# PODCAST_SCRAPER_CRASH_HANDLER=0 wins over everything (docs/CRASH_MITIGATION.md):
# a flag or a config file that turns the handler on does not bring it back.
PODCAST_SCRAPER_CRASH_HANDLER=0 PODCAST_SCRAPER_INJECT_FAULT=config:SIGSEGV \
	run_ps --crash-handler --dry-run --crash-dir "$dumps" feed.xml
expect_status $((128 + 11))
check "no dump: the environment wins over --crash-handler" test -z "$(ls "$dumps")"
printf 'crash_handler: true\ncrash_dir: %s\ndry_run: true\n' "$dumps" > on.yaml
PODCAST_SCRAPER_CRASH_HANDLER=0 PODCAST_SCRAPER_INJECT_FAULT=config:SIGSEGV \
	run_ps --config on.yaml feed.xml
expect_status $((128 + 11))
check "no dump: the environment wins over the config file" test -z "$(ls "$dumps")"
# the same config without the variable does write one (the check above can fail)
PODCAST_SCRAPER_INJECT_FAULT=config:SIGSEGV run_ps --config on.yaml feed.xml
expect_status $((128 + 11))
check "the config file alone turns the handler on" test -n "$(ls "$dumps")"

# A malformed injector spec is an error naming the variable, not a crash.
PODCAST_SCRAPER_INJECT_FAULT=config:SIGNOPE run_ps --dry-run feed.xml
check "malformed spec rejected" test "$T_STATUS" -ne 0 -a "$T_STATUS" -lt 128
expect_in "$T_WORK/err" "PODCAST_SCRAPER_INJECT_FAULT"
finish
