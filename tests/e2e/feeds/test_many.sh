#!/usr/bin/env bash
# The acceptance check: 200 episodes with transcripts, every reply 50 ms
# late.  Everything saved with text and segments and valid metadata; the
# second run downloads nothing.  Times are printed, never asserted.
set -e
. "$TEST_SRCDIR/e2e/feeds/lib.sh"
site_start --latency-ms 50
cd "$T_WORK"

N=200
mkdir -p "$SITE/t"
F=$SITE/feed.xml
feed_open "$F" "Two hundred"
for ((i = 1; i <= N; i++)); do
	make_vtt 12 "episode $i" >"$SITE/t/$i.vtt"
	feed_item "$F" --title "Episode $i of many" --guid "many-$i" \
		--date "$(date -u -d "2025-01-01 + $i days" +%F)" --transcript "t/$i.vtt" text/vtt
done
feed_close "$F"

t0=$(date +%s.%N)
run_ps "$SERVER_URL/feed.xml" --output-dir many
t1=$(date +%s.%N)
expect_status 0
expect_done_last
expect_summary episodes=$N transcripts=$N "downloaded $N" failed=0
verify outputs many "$SITE" "$SERVER_URL" $N
check "$N texts" test "$(ls many/transcripts/*.txt | wc -l)" = $N
check "$N segment files" test "$(ls many/transcripts/*.segments.json | wc -l)" = $N
check "every transcript fetched once" test "$(requests_matching '/t/[0-9]+\.vtt')" = $N
verify index many ok=$N

requests_reset
run_ps "$SERVER_URL/feed.xml" --output-dir many
t2=$(date +%s.%N)
expect_status 0
expect_summary episodes=0 transcripts=0 unchanged=1
check "second run: one 304 for the unchanged feed" test "$(server_requests)" = "GET /feed.xml - 304"
awk -v a="$t0" -v b="$t1" -v c="$t2" -v l="$(last_err_line)" \
	'BEGIN { printf "first run %.2fs, second run %.2fs (%s)\n", b - a, c - b, l }'
finish
