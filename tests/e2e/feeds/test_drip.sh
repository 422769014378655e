#!/usr/bin/env bash
# A server that drips a few bytes a second never quite stalls; below
# 1 KiB/s for --timeout seconds the transfer fails as stalled, is retried
# like any other network error, and the run ends in bounded time with a
# clear message naming the URL.
set -e
. "$TEST_SRCDIR/e2e/feeds/lib.sh"
site_start
cd "$T_WORK"
mkdir -p "$SITE/t"
# long enough that 2 bytes a second would take an hour
{ make_vtt 40 "dripped"; make_vtt 40 "more"; } >"$SITE/t/slow.vtt"
make_vtt 2 "quick" >"$SITE/t/quick.vtt"
F=$SITE/feed.xml
feed_open "$F" "Drip"
feed_item "$F" --title "Slow one" --guid g-slow --date 2026-02-02 \
	--transcript "t/slow.vtt?drip=2" text/vtt
feed_item "$F" --title "Quick one" --guid g-quick --date 2026-02-01 \
	--transcript t/quick.vtt text/vtt
for ((i = 0; i < 40; i++)); do
	feed_item "$F" --title "Padding $i" --guid "g-pad-$i"
done
feed_close "$F"
check "the feed is big enough to matter" test "$(wc -c <"$F")" -gt 4000

# run_bounded SECONDS ARGS...: the run, killed if it outlives SECONDS
run_bounded() {
	local limit=$1
	shift
	set +e
	SECONDS=0
	timeout -s KILL "$limit" "$PODCAST_SCRAPER" "$@" >"$T_WORK/out" 2>"$T_WORK/err"
	T_STATUS=$?
	T_ELAPSED=$SECONDS
	set -e
	check "the run ended by itself ($T_ELAPSED s)" test "$T_STATUS" != 137
}

# The feed itself drips: stalled, retried once, then the feed fails.
requests_reset
run_bounded 40 "$SERVER_URL/feed.xml?drip=2" --output-dir feed_out --timeout 2 --http-retries 1
expect_status 1
expect_done_last
expect_in "$T_WORK/err" "$SERVER_URL/feed.xml?drip=2"
expect_in "$T_WORK/err" "stalled: less than 1024 bytes/s for 2 s"
check "the stalled feed was tried twice" test "$(requests_matching '/feed\.xml\?drip=2')" = 2

# A transcript drips: that episode fails with the reason, the other is saved.
requests_reset
run_bounded 40 "$SERVER_URL/feed.xml" --output-dir tr_out --timeout 2 --http-retries 1 \
	--max-episodes 2
expect_status 3
expect_done_last
expect_summary episodes=2 transcripts=1 failed=1
expect_in "$T_WORK/err" "$SERVER_URL/t/slow.vtt?drip=2"
expect_in "$T_WORK/err" "stalled: less than 1024 bytes/s for 2 s"
check "the stalled transcript was tried twice" \
	test "$(requests_matching '/t/slow\.vtt\?drip=2')" = 2
check "the quick transcript saved" cmp "$SITE/t/quick.vtt" tr_out/transcripts/*_Quick_one_*.vtt
finish
