#!/usr/bin/env bash
# worker_memory_limit: a transcription worker limited to 64 MiB of address
# space (RLIMIT_AS) runs out of memory loading its model; each audio episode
# fails at once (no retry: it would run out again) with the limit named in
# the log, index.json and state.sqlite, while the episodes with published
# transcripts are done and the run exits 3.  A rerun with the default limit
# transcribes them; with isolation inline the limit cannot apply and a
# warning says so once.  ASan builds reserve terabytes of address space and
# never apply the limit: `doctor` says so, and this test skips there.
set -e
. "$TEST_SRCDIR/e2e/workers/lib.sh"

run_ps doctor
if grep -q "worker memory limit .*not enforced in this build" "$T_WORK/out"; then
	echo "SKIP: $(grep 'worker memory limit' "$T_WORK/out")"
	exit 77
fi
expect_in "$T_WORK/out" "enforced: 2 GiB of address space per worker"

site_start
cd "$T_WORK"
say "$SITE/a1.wav" "Welcome to the garden show. Today we plant tomatoes."
say "$SITE/a2.wav" "The weather is cold. Cover the young plants at night."
F=$SITE/feed.xml
text_feed "$F" 2
feed_item "$F" --title "Tomatoes" --guid a1 --date 2026-04-01 --enclosure a1.wav audio/wav
feed_item "$F" --title "Cold nights" --guid a2 --date 2026-04-02 --enclosure a2.wav audio/wav
feed_close "$F"
URL=$SERVER_URL/feed.xml
WHY="transcription worker ran out of memory (address-space limit 64 MiB; raise worker_memory_limit)"

run_ps "$URL" -o res --run-id r1 --worker-memory-limit 64M --transcription-workers 1 \
	--stage-retries 2
expect_no_signal
expect_status 3
expect_summary episodes=4 failed=2
expect_in "$T_WORK/err" "episode 'Tomatoes' (a1): $WHY"
expect_in "$T_WORK/err" "episode 'Cold nights' (a2): $WHY"
expect_not_in "$T_WORK/err" "retrying"
for e in a1 a2; do
	wcheck index res r1 "$e" status=failed error_stage=transcribe "error_message=$WHY"
done
for e in w1 w2; do
	wcheck index res r1 "$e" status=ok
done
check "state.sqlite keeps the reason" test "$(sqlite3 res/state.sqlite \
	"SELECT COUNT(*) FROM episodes WHERE status='failed' AND last_error='$WHY'")" = 2
wcheck json res/runs/r1/metrics.json retries=0 worker_crashes=2 episodes.ok=2 episodes.failed=2
wcheck sound res

# The default limit is enough: the rerun transcribes what failed.
run_ps "$URL" -o res --run-id r2 --transcription-workers 1
expect_status 0
expect_summary failed=0 "transcribed 2"
wcheck episode res a1 content.transcript_source=whisper_transcription

# Inline isolation: no per-worker limit, said once; the work is done.
run_ps "$URL" -o inl --isolation inline --worker-memory-limit 64M --generate-summaries \
	--transcription-workers 1
expect_status 0
expect_summary failed=0 "transcribed 2" summaries=4
check "the inline warning comes once" test "$(grep -c \
	'worker_memory_limit is not applied with isolation inline' "$T_WORK/err")" = 1
finish
