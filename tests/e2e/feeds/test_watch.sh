#!/usr/bin/env bash
# --watch keeps a feed current against the loopback server: the unchanged
# feed costs one 304 per cycle and no parse, a new episode is picked up by
# the next cycle, SIGHUP rereads the config file, and SIGTERM ends the watch
# with status 0 - at once during the sleep, and within seconds during a
# cycle with a download in flight, which the next run then finishes.
set -e
. "$TEST_SRCDIR/e2e/feeds/lib.sh"
site_start
cd "$T_WORK"
trap '[ -z "${WPID:-}" ] || kill "$WPID" 2>/dev/null || true; server_stop; rm -rf "$T_WORK"' EXIT

write_feed() {   # write_feed N [SLOW]: episodes N..1; SLOW makes episode N slow
	local i q
	feed_open "$SITE/feed.xml" "Watched"
	for ((i = $1; i >= 1; i--)); do
		[ -f "$SITE/t$i.vtt" ] || make_vtt 2 "watched $i" >"$SITE/t$i.vtt"
		q=
		[ "$i" = "$1" ] && [ -n "${2:-}" ] && q="?delay_ms=$2"
		feed_item "$SITE/feed.xml" --title "Episode $i" --guid "w$i" --date "2026-06-0$i" \
			--transcript "t$i.vtt$q" text/vtt
	done
	feed_close "$SITE/feed.xml"
}

# wait_for FILE REGEX N: waits (90 s at most: a loaded machine can be slow)
# until FILE has N lines matching
wait_for() {
	local i
	for ((i = 0; i < 900; i++)); do
		[ "$(grep -cE "$2" "$1" 2>/dev/null || true)" -ge "$3" ] && return 0
		sleep 0.1
	done
	tail -20 "$1" >&2
	return 1
}

# stop_watch: SIGTERM, then the exit status and how long it took (ms)
stop_watch() {
	local t0 t1
	t0=$(date +%s%N)
	kill -TERM "$WPID"
	set +e
	wait "$WPID"
	W_STATUS=$?
	set -e
	t1=$(date +%s%N)
	W_MS=$(((t1 - t0) / 1000000))
	WPID=
}

write_feed 1
printf 'log_level: info\n' >watch.yaml
"$PODCAST_SCRAPER" --config watch.yaml --watch 1s "$SERVER_URL/feed.xml" \
	--output-dir w 2>watch.err &
WPID=$!
check "cycle 1 ends" wait_for watch.err 'watch: cycle 1 ended with exit status 0' 1
check "cycle 1 fetched the feed in full" grep -q '^GET /feed.xml - 200$' "$SERVER_LOG"
check "episode 1 written" test -n "$(ls w/transcripts/*Episode_1_*.txt)"
check "cycle 2 ends" wait_for watch.err 'watch: cycle 2 ended' 1
check "the unchanged feed was answered 304" grep -q '^GET /feed.xml - 304$' "$SERVER_LOG"
check "and not parsed" wait_for watch.err "feed.xml': not modified since the last run" 1
check "each cycle logs its summary line" wait_for watch.err 'INFO watch: Done\. feeds=1 ' 2
check "the 304 cycle's summary says unchanged" grep -q 'watch: Done\..* unchanged=1 ' watch.err

# a new episode: the feed's ETag changes, the next cycle takes it
write_feed 2
check "episode 2 picked up" wait_for watch.err "episode '2026-06-02_Episode_2_.*': done" 1
check "episode 2 written" test -n "$(ls w/transcripts/*Episode_2_*.txt)"
check "episode 1 not fetched again" test "$(requests_matching '/t1.vtt')" = 1
check "episode 2 fetched once" test "$(requests_matching '/t2.vtt')" = 1

# SIGHUP: the config file is reread before the next cycle
check "no debug lines yet" bash -c "! grep -q ' DEBUG ' watch.err"
printf 'log_level: debug\n' >watch.yaml
kill -HUP "$WPID"
check "SIGHUP rereads the configuration" wait_for watch.err 'SIGHUP: configuration reread' 1
n=$(grep -c 'watch: cycle .* ended' watch.err)
check "the next cycle runs with it" wait_for watch.err 'watch: cycle .* ended' $((n + 1))
check "debug lines after the reload" grep -q ' DEBUG ' watch.err

wait_for watch.err 'watch: next cycle in' $((n + 1)) || t_fail "no sleep after the cycle"
stop_watch
check "SIGTERM: exit status 0 (got $W_STATUS)" test "$W_STATUS" = 0
check "the stop is logged" grep -q 'watch: stopped by Terminated after' watch.err

# SIGTERM during an hour's sleep: at once (far below the hour), status 0
"$PODCAST_SCRAPER" --watch 1h "$SERVER_URL/feed.xml" --output-dir w 2>watch3.err &
WPID=$!
check "a cycle, then the sleep" wait_for watch3.err 'watch: next cycle in 3600s' 1
stop_watch
check "SIGTERM during the sleep: exit status 0 (got $W_STATUS)" test "$W_STATUS" = 0
check "SIGTERM during the sleep: stopped in ${W_MS} ms, not an hour" test "$W_MS" -lt 10000

# SIGTERM during a cycle, with a transcript download in flight
write_feed 3 20000
requests_reset
"$PODCAST_SCRAPER" --watch 1h "$SERVER_URL/feed.xml" --output-dir w 2>watch2.err &
WPID=$!
# the server logs a request once it answers, 20 s later: wait for the parse,
# after which the slow transcript request is started at once
check "the cycle parsed the feed" wait_for watch2.err "feed.xml': 3 episodes, 3 selected" 1
stop_watch
check "SIGTERM during a cycle: exit status 0 (got $W_STATUS)" test "$W_STATUS" = 0
check "SIGTERM during a cycle: stopped in ${W_MS} ms, not after the 20 s download" \
	test "$W_MS" -lt 10000
check "the cycle was logged as stopped" grep -q 'watch: cycle 1 ended with exit status 143' watch2.err
check "no torn or temporary file left" test -z "$(find w -name '*.tmp*' -o -name '*.part')"
check "episode 3 not done yet" test -z "$(ls w/transcripts/ | grep Episode_3_ || true)"
write_feed 3
run_ps "$SERVER_URL/feed.xml" --output-dir w
expect_status 0
expect_summary transcripts=1 skipped=2
check "the next run finished episode 3" test -n "$(ls w/transcripts/*Episode_3_*.txt)"

run_ps --watch 5x "$SERVER_URL/feed.xml" --output-dir bad
expect_status 2
expect_in "$T_WORK/err" "--watch '5x': not an interval"
finish
