#!/usr/bin/env bash
# A summarization worker killed by each fatal signal (the fault injector
# raises it for real inside the worker): the main process carries on, the
# episode succeeds on a fresh worker, the worker's crash dump names its stage
# and episode, and metrics and metadata count the crash.  With more crashes
# than retries the episode fails with the signal and the dump in index.json,
# the others are done, the exit status is 3, and a rerun finishes it.
set -e
. "$TEST_SRCDIR/e2e/workers/lib.sh"
site_start
cd "$T_WORK"
text_feed "$SITE/feed.xml" 3
feed_close "$SITE/feed.xml"
URL=$SERVER_URL/feed.xml

# one run per signal, side by side
for sig in SEGV ABRT FPE BUS ILL; do
	mkdir -p "$T_WORK/dumps_$sig"
	PODCAST_SCRAPER_INJECT_FAULT=summarize:SIG$sig run_bg "$sig" "$URL" -o "out_$sig" \
		--run-id r1 --generate-summaries --summary-sentences 2 --crash-dir "$T_WORK/dumps_$sig"
done
for sig in SEGV ABRT FPE BUS ILL; do
	out=out_$sig dumps=$T_WORK/dumps_$sig
	run_wait "$sig"
	expect_no_signal
	expect_status 0
	check "SIG$sig: one crash dump" test "$(ls "$dumps" | wc -l)" = 1
	dump=$(echo "$dumps"/crash_dump_*.log)
	expect_in "$dump" "SIG$sig"
	pid=${dump##*crash_dump_}
	expect_in "$dump" "process: pid ${pid%.log}, role worker:summarize"
	# the crashed thread's line names the stage and the episode
	ep=$(sed -n 's/.* stage=summarize episode=\(w[0-9]\)  <- crashed$/\1/p' "$dump")
	check "SIG$sig: the dump names the episode" test -n "$ep"
	expect_in "$T_WORK/err" "episode $ep: worker killed by SIG$sig, crash dump $dump; retrying"
	expect_not_in "$T_WORK/err" "role main"
	wcheck json "$out/runs/r1/metrics.json" worker_crashes=1 retries=1 summaries=3 \
		episodes.ok=3 episodes.failed=0
	wcheck episodes "$out" w1 w2 w3
	wcheck json "$out/runs/r1/run_manifest.json" engines.summarization.engine=textrank \
		devices.summarization.requested=auto devices.summarization.used=cpu
	wcheck episode "$out" "$ep" processing.attempts=2 processing.worker_crashes=1
	for other in w1 w2 w3; do
		[ "$other" = "$ep" ] && continue
		wcheck episode "$out" "$other" processing.attempts=1 processing.worker_crashes=0
	done
	wcheck sound "$out"
done

# More crashes than retries: the first episode summarized crashes both its
# attempts and fails; the others are done.
dumps=$T_WORK/dumps_many
mkdir -p "$dumps"
PODCAST_SCRAPER_INJECT_FAULT=summarize:SIGSEGV:2 run_ps "$URL" -o many --run-id r1 \
	--generate-summaries --stage-retries 1 --summarization-workers 1 --crash-dir "$dumps"
expect_no_signal
expect_status 3
expect_summary failed=1 summaries=2
check "two crash dumps" test "$(ls "$dumps" | wc -l)" = 2
failed=$(python3 -c 'import json,sys; print(" ".join(r["episode_id"] for r in json.load(open(sys.argv[1]))["episodes"] if r["status"] == "failed"))' many/runs/r1/index.json)
check "exactly one episode failed ($failed)" test "$(echo "$failed" | wc -w)" = 1
wcheck index many r1 "$failed" status=failed error_stage=summarize \
	"error_message~worker killed by SIGSEGV after 2 attempts" "error_message~$dumps/crash_dump_" dump
wcheck json many/runs/r1/metrics.json worker_crashes=2 retries=1 episodes.failed=1 episodes.ok=2
for other in w1 w2 w3; do
	[ "$other" = "$failed" ] && continue
	wcheck index many r1 "$other" status=ok error_stage=null
done
wcheck sound many

# A rerun finishes the failed episode and skips the others.
run_ps "$URL" -o many --run-id r2 --generate-summaries --stage-retries 1
expect_status 0
expect_summary failed=0 skipped=2
wcheck index many r2 "$failed" status=ok
wcheck episodes many w1 w2 w3
wcheck sound many
finish
