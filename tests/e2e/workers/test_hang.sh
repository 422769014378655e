#!/usr/bin/env bash
# Workers that take too long are killed at their timeout and the run goes
# on.  (1) A transcription longer than --transcription-timeout (25 s of
# speech, 1 s allowed) is killed on every attempt: the episode fails naming
# the timeout, the other episodes are done, the exit status is 3, and no
# crash dump is written (a timeout is not a crash).  (2) A summarization
# worker frozen with SIGSTOP is killed at --summarization-timeout and its
# job retried on a new worker: every episode is summarized.  That worker's
# environment also shows OMP/MKL_NUM_THREADS set from --threads.
set -e
. "$TEST_SRCDIR/e2e/workers/lib.sh"
site_start
cd "$T_WORK"

# --- (1) transcription past its timeout -----------------------------------
say "$SITE/long.wav" "The weather today is cold and windy in the north. \
In the south the sun will shine all afternoon. Farmers are planting corn and \
beans this week. The river is high after the long rains of the spring. \
Children walk to school along the old stone road. The market opens early on \
Saturday morning. People buy bread, fish and fresh apples there. In the \
evening the town hall hosts a concert of local music by the river."
F=$SITE/feed.xml
text_feed "$F" 2
feed_item "$F" --title "A long talk" --guid long --date 2026-03-09 --enclosure long.wav audio/wav
feed_close "$F"
mkdir -p dumps
run_ps "$SERVER_URL/feed.xml" -o slow --run-id r1 --transcription-timeout 1 \
	--stage-retries 1 --crash-dir dumps
expect_no_signal
expect_status 3
expect_summary failed=1
wcheck index slow r1 long status=failed error_stage=transcribe \
	"error_message~worker timed out after 1 s and was killed after 2 attempts"
wcheck index slow r1 w1 status=ok
wcheck index slow r1 w2 status=ok
wcheck json slow/runs/r1/metrics.json retries=1 worker_crashes=0 episodes.ok=2 episodes.failed=1
expect_in "$T_WORK/err" "episode long: worker timed out after 1 s and was killed; retrying (attempt 2 of 2)"
check "a timeout leaves no crash dump" test -z "$(ls dumps)"
wcheck sound slow

# --- (2) a frozen summarization worker --------------------------------------
# Transcripts arrive one at a time, 700 ms apart, so jobs are still coming
# when the worker is frozen.
mkdir -p "$SITE/s"
F=$SITE/s/feed.xml
text_feed "$F" 4 delay_ms=700
feed_close "$F"
unset OMP_NUM_THREADS MKL_NUM_THREADS
"$PODCAST_SCRAPER" "$SERVER_URL/s/feed.xml" -o frozen --run-id r1 --workers 1 \
	--generate-summaries --summarization-timeout 2 --threads 3 \
	>"$T_WORK/out" 2>"$T_WORK/err" &
pid=$!
w=$(wait_worker "$pid" summarize) || true
check "a summarization worker started" test -n "$w"
# once it serves its first job it has named itself
for ((i = 0; i < 1000; i++)); do
	grep -q "summarize: model loaded" "$T_WORK/err" && break
	sleep 0.01
done
comm=$(cat "/proc/$w/comm")
omp=$(env_of "$w" OMP_NUM_THREADS)
mkl=$(env_of "$w" MKL_NUM_THREADS)
kill -STOP "$w"
set +e
wait "$pid"
T_STATUS=$?
set -e
expect_no_signal
expect_status 0
check "the worker is called podcast_scraper in ps (got '$comm')" test "$comm" = podcast_scraper
check "the worker got OMP_NUM_THREADS=3 (got '$omp')" test "$omp" = 3
check "the worker got MKL_NUM_THREADS=3 (got '$mkl')" test "$mkl" = 3
check "the frozen worker was killed and reaped" test ! -e "/proc/$w"
expect_in "$T_WORK/err" "worker timed out after 2 s and was killed; retrying (attempt 2 of 3)"
wcheck episodes frozen w1 w2 w3 w4
wcheck json frozen/runs/r1/metrics.json retries=1 worker_crashes=0 summaries=4 episodes.ok=4
ep=$(sed -n 's/.*summarize: episode \(w[0-9]\): worker timed out.*/\1/p' "$T_WORK/err")
wcheck episode frozen "$ep" processing.attempts=2 processing.worker_crashes=0
wcheck sound frozen
finish
