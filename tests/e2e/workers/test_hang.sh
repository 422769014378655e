#!/usr/bin/env bash
# Workers that take too long are killed at their time limit and the run goes
# on.  (1) A transcription's limit is --transcription-timeout plus
# --transcription-timeout-per-audio-second for each second of its audio
# (whole seconds, from the file's header); hangs and stalls come from the
# fault injector, so no check depends on how fast this machine decodes.
#  (a) a job stalled 3 s past a 1 s --transcription-timeout is allowed to
#      finish when its audio earns it more time, and killed without that
#      allowance;
#  (b) a hung job is killed on every attempt at its computed limit: the
#      episode fails with the limit and how it was made, the other episodes
#      are done, the exit status is 3, and no crash dump is written (a
#      timeout is not a crash).
# (2) A summarization worker frozen with SIGSTOP is killed at
# --summarization-timeout and its job retried on a new worker: every
# episode is summarized.  That worker's environment also shows
# OMP/MKL_NUM_THREADS set from --threads.
set -e
. "$TEST_SRCDIR/e2e/workers/lib.sh"
site_start
cd "$T_WORK"

# --- (1) a transcription's time limit grows with its audio -------------------
say "$SITE/talk.wav" "The weather today is cold and windy in the north. \
In the south the sun will shine all afternoon."
# whole seconds, as the program rounds them
secs=$(python3 -c 'import sys, wave
w = wave.open(sys.argv[1]); print(int(w.getnframes() / w.getframerate() + 0.5))' "$SITE/talk.wav")
check "the speech lasts a few seconds (got $secs)" test "$secs" -ge 2 -a "$secs" -le 10
F=$SITE/feed.xml
text_feed "$F" 2
feed_item "$F" --title "A talk" --guid talk --date 2026-03-09 --enclosure talk.wav audio/wav
feed_close "$F"

# (a) 1 s + 60 s per audio second: a 3 s stall, with the decoding, is far
# inside the limit even on a machine many times slower than usual
PODCAST_SCRAPER_INJECT_FAULT=transcribe:SLEEP3 run_ps "$SERVER_URL/feed.xml" -o allowed \
	--run-id r1 --transcription-timeout 1 --transcription-timeout-per-audio-second 60 \
	--stage-retries 0 --log-level debug
expect_no_signal
expect_status 0
expect_in "$T_WORK/err" "injecting a 3 s stall in stage transcribe"
expect_in "$T_WORK/err" "episode talk: time limit $((1 + 60 * secs)) s (transcription_timeout 1 s + 60 s per audio second for $secs s of audio)"
expect_not_in "$T_WORK/err" "timed out"
wcheck index allowed r1 talk status=ok
wcheck episode allowed talk processing.attempts=1

# ... and the same stall without the allowance is killed at 1 s
PODCAST_SCRAPER_INJECT_FAULT=transcribe:SLEEP3 run_ps "$SERVER_URL/feed.xml" -o refused \
	--run-id r1 --transcription-timeout 1 --transcription-timeout-per-audio-second 0 \
	--stage-retries 0
expect_no_signal
expect_status 3
wcheck index refused r1 talk status=failed error_stage=transcribe \
	"error_message~worker timed out after 1 s (limit: transcription_timeout 1 s) and was killed after 1 attempt"

# (b) a hang on both attempts, killed each time at 1 s + 0.5 s x the audio
limit=$(python3 -c 'import sys; print("%g" % (1 + 0.5 * int(sys.argv[1])))' "$secs")
why="limit: transcription_timeout 1 s + 0.5 s per audio second for $secs s of audio"
mkdir -p dumps
PODCAST_SCRAPER_INJECT_FAULT=transcribe:HANG:2 run_ps "$SERVER_URL/feed.xml" -o slow \
	--run-id r1 --transcription-timeout 1 --transcription-timeout-per-audio-second 0.5 \
	--stage-retries 1 --crash-dir dumps
expect_no_signal
expect_status 3
expect_summary failed=1
wcheck index slow r1 talk status=failed error_stage=transcribe \
	"error_message~worker timed out after $limit s ($why) and was killed after 2 attempts"
wcheck index slow r1 w1 status=ok
wcheck index slow r1 w2 status=ok
wcheck json slow/runs/r1/metrics.json retries=1 worker_crashes=0 episodes.ok=2 episodes.failed=1
expect_in "$T_WORK/err" "episode talk: worker timed out after $limit s ($why) and was killed; retrying (attempt 2 of 2)"
check "a timeout leaves no crash dump" test -z "$(ls dumps)"
wcheck sound slow

# --- (2) a frozen summarization worker --------------------------------------
# The server holds the last transcript back until the worker is frozen (the
# file $SITE/go appears), so the run cannot end, nor its worker exit, before
# the test has looked at the worker and stopped it, however busy the
# machine: the held episode's job, or one still running, meets the frozen
# worker.
F=$SITE/s/feed.xml
mkdir -p "$SITE/s/t"
text_feed "$F" 3
episode_text 4 >"$SITE/s/t/4.txt"
feed_item "$F" --title "Harbour episode 4" --guid w4 --date 2026-03-04 \
	--transcript "t/4.txt?wait_for=go" text/plain
feed_close "$F"
unset OMP_NUM_THREADS MKL_NUM_THREADS
"$PODCAST_SCRAPER" "$SERVER_URL/s/feed.xml" -o frozen --run-id r1 --workers 1 \
	--generate-summaries --summarization-timeout 5 --threads 3 \
	>"$T_WORK/out" 2>"$T_WORK/err" &
pid=$!
w=$(wait_worker "$pid" summarize) || true
check "a summarization worker started" test -n "$w"
# once it serves its first job it has named itself
SECONDS=0
until grep -q "summarize: model loaded" "$T_WORK/err"; do
	[ "$SECONDS" -lt 60 ] || t_fail "the summarization worker never served a job"
	sleep 0.05
done
kill -STOP "$w"
comm=$(cat "/proc/$w/comm")
omp=$(env_of "$w" OMP_NUM_THREADS)
mkl=$(env_of "$w" MKL_NUM_THREADS)
touch "$SITE/go"
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
expect_in "$T_WORK/err" "worker timed out after 5 s and was killed; retrying (attempt 2 of 3)"
wcheck episodes frozen w1 w2 w3 w4
wcheck json frozen/runs/r1/metrics.json retries=1 worker_crashes=0 summaries=4 episodes.ok=4
ep=$(sed -n 's/.*summarize: episode \(w[0-9]\): worker timed out.*/\1/p' "$T_WORK/err")
wcheck episode frozen "$ep" processing.attempts=2 processing.worker_crashes=0
wcheck sound frozen
finish
