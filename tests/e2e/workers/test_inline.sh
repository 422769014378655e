#!/usr/bin/env bash
# isolation inline runs the same engines in threads of the main process: the
# run works the same, no worker process is started, and a crash there is a
# crash of the whole process (exit 128+signal) that still leaves a dump.
# model_cleanup decides how often the engine is loaded and freed, counted
# from the "model loaded" / "model freed" log lines of a 3-episode run.
set -e
. "$TEST_SRCDIR/e2e/workers/lib.sh"
site_start
cd "$T_WORK"
text_feed "$SITE/feed.xml" 3
feed_close "$SITE/feed.xml"
URL=$SERVER_URL/feed.xml

# --- inline: same results, no worker ----------------------------------------
run_ps "$URL" -o inline --run-id r1 --generate-summaries --isolation inline
expect_status 0
wcheck episodes inline w1 w2 w3
expect_in "$T_WORK/err" "summarize: 3 jobs, 0 failed, 0 worker crashes, 0 timeouts, 0 workers started"
run_ps "$URL" -o process --run-id r1 --generate-summaries
expect_status 0
expect_in "$T_WORK/err" "summarize: 3 jobs, 0 failed, 0 worker crashes, 0 timeouts, 1 workers started"
for e in w1 w2 w3; do
	check "$e: the same summary inline and in a worker" python3 - inline process "$e" <<'PY'
import glob, json, os, sys
def summary(d, guid):
    for p in glob.glob(os.path.join(d, "metadata", "*.json")):
        doc = json.load(open(p))
        if doc["episode"]["guid"] == guid:
            return doc["summary"]["short_summary"], doc["summary"]["key_points"]
a, b = summary(sys.argv[1], sys.argv[3]), summary(sys.argv[2], sys.argv[3])
sys.exit(0 if a == b and a[0] else 1)
PY
done

# --- inline: the injected crash takes the process down, with a dump -----------
for sig in FPE SEGV; do
	mkdir -p "dumps_$sig"
	PODCAST_SCRAPER_INJECT_FAULT=summarize:SIG$sig run_ps "$URL" -o "crash_$sig" \
		--generate-summaries --isolation inline --crash-dir "dumps_$sig"
	expect_status $((128 + $(kill -l $sig)))
	dump=$(ls dumps_$sig/crash_dump_*.log 2>/dev/null | head -1)
	check "inline SIG$sig: a crash dump" test -s "$dump"
	expect_in "$dump" "SIG$sig"
	expect_in "$dump" "role main"
	check "inline SIG$sig: the crashed thread is the summarize slot" \
		grep -qE '"summarize-1" stage=summarize episode=w[123]  <- crashed' "$dump"
	check "inline SIG$sig: one dump only" test "$(ls dumps_$sig | wc -l)" = 1
	# a rerun finishes the work and clears what the crash left mid-write
	run_ps "$URL" -o "crash_$sig" --generate-summaries --isolation inline
	expect_status 0
	wcheck episodes "crash_$sig" w1 w2 w3
	wcheck sound "crash_$sig"
done

# --- model_cleanup ------------------------------------------------------------
# expect_loads POLICY ISOLATION LOADS FREES
expect_loads() {
	rm -f "log_$1_$2"
	run_ps "$URL" -o "cleanup_$1_$2" --generate-summaries --model-cleanup "$1" \
		--isolation "$2" --log-file "log_$1_$2"
	expect_status 0
	wcheck episodes "cleanup_$1_$2" w1 w2 w3
	check "$1/$2: $3 model loads" \
		test "$(grep -c 'summarize: model loaded in' "log_$1_$2")" = "$3"
	check "$1/$2: $4 model frees" \
		test "$(grep -c 'summarize: model freed' "log_$1_$2")" = "$4"
}
expect_loads episode process 3 3
expect_loads stage process 1 1
expect_loads exit process 1 1
expect_loads none process 1 0
expect_loads episode inline 3 3
expect_loads stage inline 1 1
# none leaves an inline engine allocated on purpose: not a leak to report
ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0 expect_loads none inline 1 0

# --- model_cleanup stage on a rerun with skipped episodes ----------------------
# Skipped episodes can never submit a summary, so the stage drains once the
# new episode's summary is in: the engine is freed then, before the pool's
# statistics at teardown (a freeing held back to teardown comes after them).
mkdir -p "$SITE/g"
text_feed "$SITE/g/feed.xml" 2
feed_close "$SITE/g/feed.xml"
run_ps "$SERVER_URL/g/feed.xml" -o grow --generate-summaries
expect_status 0
text_feed "$SITE/g/feed.xml" 3
feed_close "$SITE/g/feed.xml"
for iso in process inline; do
	rm -f "log_grow_$iso"
	cp -r grow "grow_$iso"
	run_ps "$SERVER_URL/g/feed.xml" -o "grow_$iso" --generate-summaries --model-cleanup stage \
		--isolation "$iso" --log-file "log_grow_$iso"
	expect_status 0
	expect_summary skipped=2 summaries=1
	check "$iso: the engine freed once the stage drained, before the pool statistics" \
		python3 - "log_grow_$iso" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
freed = [i for i, l in enumerate(lines) if "summarize: model freed" in l]
stats = [i for i, l in enumerate(lines) if "summarize: 1 jobs," in l]
sys.exit(not (len(freed) == 1 and len(stats) == 1 and freed[0] < stats[0]))
PY
done
finish
