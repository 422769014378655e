#!/usr/bin/env bash
# A run that stops (SIGTERM, fail_fast) does not wait for the stage jobs
# still queued: the running worker is killed, the episodes whose jobs were
# dropped fail as "interrupted" (redone by the next run), and no worker is
# left behind.
set -e
. "$TEST_SRCDIR/e2e/workers/lib.sh"
site_start
cd "$T_WORK"

# --- SIGTERM while the first of two long transcriptions runs ------------------
say "$SITE/long.wav" "The weather today is cold and windy in the north. \
In the south the sun will shine all afternoon. Farmers are planting corn and \
beans this week. The river is high after the long rains of the spring. \
Children walk to school along the old stone road. The market opens early on \
Saturday morning."
F=$SITE/feed.xml
feed_open "$F" "Long talks"
feed_item "$F" --title "Talk one" --guid l1 --date 2026-05-01 --enclosure "long.wav?n=1" audio/wav
feed_item "$F" --title "Talk two" --guid l2 --date 2026-05-02 --enclosure "long.wav?n=2" audio/wav
feed_close "$F"
"$PODCAST_SCRAPER" "$SERVER_URL/feed.xml" -o res --run-id r1 \
	>"$T_WORK/out" 2>"$T_WORK/err" &
pid=$!
w=$(wait_worker "$pid" transcribe) || true
check "a transcription worker started" test -n "$w"
for ((i = 0; i < 3000; i++)); do
	grep -q "transcribe: model loaded" "$T_WORK/err" && break
	sleep 0.01
done
kill -TERM "$pid"
set +e
wait "$pid"
T_STATUS=$?
set -e
expect_status 143
expect_done_last
check "the worker was killed and reaped" test ! -e "/proc/$w"
# the queued episode was never transcribed: it is interrupted, not done
wcheck index res r1 l2 status=failed error_stage=transcribe error_message=interrupted
check "every episode is done or interrupted" python3 - res/runs/r1/index.json <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))["episodes"]
assert len(rows) == 2, rows
for r in rows:
    assert r["status"] == "ok" or (r["status"], r["error_stage"], r["error_message"]) == \
        ("failed", "transcribe", "interrupted"), r
PY
wcheck sound res

# --- fail_fast: the first failed episode stops the run ------------------------
mkdir -p "$SITE/s" dumps
text_feed "$SITE/s/feed.xml" 4
feed_close "$SITE/s/feed.xml"
PODCAST_SCRAPER_INJECT_FAULT=summarize:SIGSEGV:9 run_ps "$SERVER_URL/s/feed.xml" -o ff \
	--run-id r1 --generate-summaries --stage-retries 0 --summarization-workers 1 \
	--fail-fast --crash-dir dumps
expect_no_signal
expect_status 3
expect_in "$T_WORK/err" "stopping: an episode failed and fail_fast is on"
wcheck json ff/runs/r1/metrics.json worker_crashes=1 summaries=0
check "one episode failed by the crash, the others interrupted or not started" \
	python3 - ff/runs/r1/index.json <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))["episodes"]
crashed = [r for r in rows if "SIGSEGV" in (r["error_message"] or "")]
assert len(crashed) == 1, rows
for r in rows:
    if r not in crashed:
        assert r["status"] == "failed" and r["error_message"] == "interrupted", r
PY
wcheck sound ff
run_ps "$SERVER_URL/s/feed.xml" -o ff --run-id r2 --generate-summaries
expect_status 0
wcheck episodes ff w1 w2 w3 w4

# --- max_failures: the run stops at the Nth failed episode, not before or after
PODCAST_SCRAPER_INJECT_FAULT=summarize:SIGSEGV:9 run_ps "$SERVER_URL/s/feed.xml" -o mf \
	--run-id r1 --generate-summaries --stage-retries 0 --summarization-workers 1 \
	--max-failures 2 --crash-dir dumps
expect_no_signal
expect_status 3
expect_in "$T_WORK/err" "stopping: max_failures reached"
wcheck json mf/runs/r1/metrics.json worker_crashes=2 summaries=0
check "two episodes failed by crashes, the others interrupted" \
	python3 - mf/runs/r1/index.json <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))["episodes"]
crashed = [r for r in rows if "SIGSEGV" in (r["error_message"] or "")]
assert len(crashed) == 2, rows
for r in rows:
    if r not in crashed:
        assert r["status"] == "failed" and r["error_message"] == "interrupted", r
PY
finish
