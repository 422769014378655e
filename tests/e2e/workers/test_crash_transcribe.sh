#!/usr/bin/env bash
# The transcription worker (pocketsphinx, on speech made with flite) killed
# by SIGBUS in its first job: the episode is transcribed on a new worker and
# the crash is counted.  The same run checks what workers are given: with
# --threads 3 a worker gets OMP_NUM_THREADS=3 while an MKL_NUM_THREADS the
# user set is kept; and --whisper-device cuda, which pocketsphinx cannot
# use, is warned about once and recorded as requested cuda, used cpu.
set -e
. "$TEST_SRCDIR/e2e/workers/lib.sh"
site_start
cd "$T_WORK"
say "$SITE/a1.wav" "Welcome to the garden show. Today we plant tomatoes."
say "$SITE/a2.wav" "The weather is cold. Cover the young plants at night."
F=$SITE/feed.xml
feed_open "$F" "Garden Talk"
feed_item "$F" --title "Tomatoes" --guid a1 --date 2026-04-01 --enclosure a1.wav audio/wav
feed_item "$F" --title "Cold nights" --guid a2 --date 2026-04-02 --enclosure a2.wav audio/wav
feed_close "$F"
mkdir -p dumps

unset OMP_NUM_THREADS
PODCAST_SCRAPER_INJECT_FAULT=transcribe:SIGBUS MKL_NUM_THREADS=5 \
	"$PODCAST_SCRAPER" "$SERVER_URL/feed.xml" -o res --run-id r1 --threads 3 \
	--whisper-device cuda --crash-dir dumps >"$T_WORK/out" 2>"$T_WORK/err" &
pid=$!
# Read a transcription worker's environment (the first one crashes soon:
# whichever is alive when we look).
omp= mkl= i=0
while [ -z "$omp" ] && [ $((i++)) -lt 100 ]; do
	w=$(wait_worker "$pid" transcribe) || break
	omp=$(env_of "$w" OMP_NUM_THREADS 2>/dev/null) || true
	mkl=$(env_of "$w" MKL_NUM_THREADS 2>/dev/null) || true
done
set +e
wait "$pid"
T_STATUS=$?
set -e
expect_no_signal
expect_status 0
check "the worker got OMP_NUM_THREADS=3 (got '$omp')" test "$omp" = 3
check "the user's MKL_NUM_THREADS=5 is kept (got '$mkl')" test "$mkl" = 5

# the crash: one dump, naming the transcription stage and the episode
check "one crash dump" test "$(ls dumps | wc -l)" = 1
dump=$(echo dumps/crash_dump_*.log)
expect_in "$dump" "SIGBUS"
expect_in "$dump" "role worker:transcribe"
ep=$(sed -n 's/.* stage=transcribe episode=\(a[12]\)  <- crashed$/\1/p' "$dump")
check "the dump names the episode" test -n "$ep"
expect_in "$T_WORK/err" "episode $ep: worker killed by SIGBUS"
wcheck json res/runs/r1/metrics.json worker_crashes=1 retries=1 transcripts.transcribed=2 \
	episodes.ok=2
wcheck episode res "$ep" processing.attempts=2 processing.worker_crashes=1
for e in a1 a2; do
	wcheck episode res "$e" content.transcript_source=whisper_transcription \
		content.asr_engine=pocketsphinx \
		processing.devices.transcription.requested=cuda \
		processing.devices.transcription.used=cpu
	check "$e: a transcript with words" python3 - res "$e" <<'PY2'
import glob, json, os, sys
for p in glob.glob(os.path.join(sys.argv[1], "metadata", "*.json")):
    d = json.load(open(p))
    if d["episode"]["guid"] == sys.argv[2]:
        text = open(os.path.join(sys.argv[1], d["content"]["transcript_file_path"])).read()
        sys.exit(0 if text.split() else 1)
sys.exit(1)
PY2
done
wcheck json res/runs/r1/run_manifest.json devices.transcription.requested=cuda \
	devices.transcription.used=cpu engines.transcription.engine=pocketsphinx
check "the device warning comes once" \
	test "$(grep -c 'pocketsphinx cannot use cuda; transcribe runs on cpu' "$T_WORK/err")" = 1
wcheck sound res
finish
