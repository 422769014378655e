#!/usr/bin/env bash
# The real binary's command line: version, help, config errors and exit codes.
set -e
. "$TEST_SRCDIR/lib/assert.sh"
cd "$T_WORK"

run_ps --version
expect_status 0
check "version line" grep -qE '^podcast_scraper [0-9]+\.[0-9]+\.[0-9]+$' "$T_WORK/out"

run_ps --help
expect_status 0
for key in max-episodes transcription-provider mps-exclusive model-cleanup crash-dir \
	   summary-sentences openai-api-base json-logs; do
	expect_in "$T_WORK/out" "$key"
done
expect_in "$T_WORK/out" "[default: 8]"
expect_not_in "$T_WORK/out" "worker STAGE"

# A usage error is exit 2 and names the option.
run_ps --workers many feed.xml
expect_status 2
expect_in "$T_WORK/err" "option --workers: 'many' is not an integer"
run_ps --no-such-option
expect_status 2

# A bad config file is exit 1 and names key, file and line.
printf 'dry_run: true\nsummary_sentences: 500\n' > bad.yaml
run_ps --config bad.yaml feed.xml
expect_status 1
expect_in "$T_WORK/err" "config 'bad.yaml' line 2: key 'summary_sentences': 500 is out of range"
printf '{"workers": 2, "colour": "blue"}\n' > bad.json
PODCAST_SCRAPER_CONFIG=bad.json run_ps feed.xml
expect_status 1
expect_in "$T_WORK/err" "config 'bad.json' line 1: unknown key 'colour'"
printf 'dry_run: true\n' > ok.yaml
run_ps --config missing.yaml feed.xml
expect_status 1
expect_in "$T_WORK/err" "missing.yaml"

# Bad environment values name the variable.
WORKERS=0 run_ps feed.xml
expect_status 1
expect_in "$T_WORK/err" "environment WORKERS: 0 is out of range"

# No feed at all is a usage error.
run_ps
expect_status 2
expect_in "$T_WORK/err" "no feed given"

# doctor reports on the output folder it was given.
run_ps doctor --output-dir "$T_WORK/outdir"
expect_in "$T_WORK/out" "output folder"
expect_in "$T_WORK/out" "$T_WORK/outdir is writable"

# Logging: JSON lines, an appended log file, quiet mode.
printf '<rss version="2.0"><channel><title>t</title><item><title>a</title><guid>g1</guid></item></channel></rss>\n' > feed.xml
run_ps --dry-run --json-logs --log-file run.log feed.xml
expect_status 0
check "every stderr log line is a JSON object" python3 -c "
import json, sys
lines = [l for l in open('$T_WORK/err') if not l.startswith('Done.')]
assert lines, 'no log lines'
for l in lines:
    o = json.loads(l)
    assert {'ts', 'level', 'subsystem', 'message', 'pid', 'role'} <= set(o), o
"
run_ps --dry-run --log-file run.log feed.xml
check "the log file is appended to" test "$(grep -c 'fetching feed' run.log)" = 2
run_ps --dry-run --quiet feed.xml
expect_status 0
expect_not_in "$T_WORK/err" "INFO"
expect_in "$T_WORK/err" "Done. feeds=1"
run_ps --dry-run --log-level debug feed.xml
expect_in "$T_WORK/err" "DEBUG"
check "dry run writes nothing" test ! -e output

# doctor --network fetches once; an unreachable URL is a failed check (exit 1).
run_ps doctor --network "file://$T_WORK/feed.xml"
expect_status 0
expect_in "$T_WORK/out" "network"
run_ps doctor --network "http://127.0.0.1:1/feed.xml" --timeout 2
expect_status 1
expect_in "$T_WORK/out" "FAIL  network"

# Standard output errors are not silent successes.
if [ -w /dev/full ]; then
	set +e
	"$PODCAST_SCRAPER" --help >/dev/full 2>"$T_WORK/err"
	T_STATUS=$?
	set -e
	expect_status 1
	expect_in "$T_WORK/err" "cannot write to standard output"
fi
finish
