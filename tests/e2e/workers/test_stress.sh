#!/usr/bin/env bash
# Twenty runs (two lanes of ten, side by side, each on its own output folder
# reused with --force), each with the fault injector crashing summarization
# workers with a random fatal signal, once or twice against one retry, with
# one or two workers: the main process never ends by a signal, the exit
# status says whether an episode failed, every failure names the signal and
# an existing dump, and nothing is ever left torn (no temporary file, every
# document parses, state.sqlite is sound).  STRESS_SEED replays a sequence.
set -e
. "$TEST_SRCDIR/e2e/workers/lib.sh"
site_start
cd "$T_WORK"
text_feed "$SITE/feed.xml" 5
feed_close "$SITE/feed.xml"
URL=$SERVER_URL/feed.xml
seed=${STRESS_SEED:-$$}
echo "STRESS_SEED=$seed"
signals=(SIGSEGV SIGABRT SIGFPE SIGBUS SIGILL)

# lane L: ten runs on folder laneL; its check count goes to laneL.checks.
lane() {
	local L=$1 out=lane$1 run sig n workers failed status
	RANDOM=$((seed + L))
	for ((run = 1; run <= 10; run++)); do
		sig=${signals[RANDOM % 5]}
		n=$((RANDOM % 2 + 1))
		workers=$((RANDOM % 2 + 1))
		mkdir -p "dumps$L/$run"
		set +e
		PODCAST_SCRAPER_INJECT_FAULT=summarize:$sig:$n "$PODCAST_SCRAPER" "$URL" \
			-o "$out" --force --run-id "r$run" --generate-summaries --stage-retries 1 \
			--summarization-workers "$workers" --crash-dir "dumps$L/$run" -q \
			>/dev/null 2>"$out.err"
		status=$?
		set -e
		echo "lane $L run $run: $sig x$n, $workers worker(s): exit $status"
		[ "$status" -lt 128 ] || t_fail "lane $L run $run: the main process ended by signal $((status - 128))"
		failed=$(python3 "$WORKERS_LIB/check.py" crashed "$out" "r$run" "$sig" "$n") ||
			t_fail "lane $L run $run: index.json, metrics.json or the folder is wrong"
		case $failed in
		0) [ "$status" = 0 ] || t_fail "lane $L run $run: exit $status, nothing failed" ;;
		1) [ "$status" = 3 ] || t_fail "lane $L run $run: exit $status, an episode failed" ;;
		*) t_fail "lane $L run $run: $failed episodes failed; at most one can ($n crashes)" ;;
		esac
		[ "$failed" = 0 ] || [ "$n" = 2 ] || t_fail "lane $L run $run: one crash failed an episode"
		check "lane $L run $run: a dump per crash" test "$(ls "dumps$L/$run" | wc -l)" = "$n"
	done
	echo $((T_CHECKS + 5 * 10)) >"$out.checks"
}

lane 1 & l1=$!
lane 2 & l2=$!
wait "$l1" || t_fail "lane 1 failed"
wait "$l2" || t_fail "lane 2 failed"
T_CHECKS=$(($(<lane1.checks) + $(<lane2.checks)))

# Each folder is whole: a last run without faults completes every episode.
for out in lane1 lane2; do
	run_ps "$URL" -o "$out" --run-id last --generate-summaries
	expect_status 0
	wcheck episodes "$out" w1 w2 w3 w4 w5
	wcheck sound "$out"
done
finish
