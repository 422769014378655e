#!/usr/bin/env bash
# One run per feed folder: a second run on a folder a slow first run holds
# exits 1 naming the holder's pid and the folder, or waits with --wait-lock;
# after kill -9 of the holder the lock is gone and a new run succeeds.
set -e
. "$TEST_SRCDIR/e2e/feeds/lib.sh"
site_start --latency-ms 25
cd "$T_WORK"

N=12
mkdir -p "$SITE/t"
F=$SITE/feed.xml
feed_open "$F" "Locked"
for ((i = 1; i <= N; i++)); do
	make_vtt 5 "ep $i" >"$SITE/t/$i.vtt"
	feed_item "$F" --title "Locked episode $i" --guid "l-$i" --date 2026-03-0$((i % 9 + 1)) \
		--transcript "t/$i.vtt" text/vtt
done
feed_close "$F"
URL=$SERVER_URL/feed.xml

# slow_run: a first run that holds fd/ for a while; $HOLDER is its pid.
slow_run() {
	"$PODCAST_SCRAPER" "$URL" --output-dir fd --workers 1 --delay-ms 400 "$@" 2>"$T_WORK/err.bg" &
	HOLDER=$!
	for ((i = 0; i < 2000; i++)); do
		grep -qs "^$HOLDER\$" fd/podcast_scraper.lock && return 0
		sleep 0.01
	done
	t_fail "the first run never took the lock"
}

slow_run
run_ps "$URL" --output-dir fd
expect_status 1
expect_in "$T_WORK/err" "pid $HOLDER holds 'fd/podcast_scraper.lock'"
expect_in "$T_WORK/err" "--wait-lock"
check "the refused run wrote no run artifacts" test -z "$(ls fd/runs)"

kill -9 "$HOLDER"
wait "$HOLDER" || true
check "kill -9 left the lock file" test -e fd/podcast_scraper.lock
run_ps "$URL" --output-dir fd
expect_status 0
expect_summary episodes=$N failed=0
check "the lock file holds the last holder's pid" test -n "$(cat fd/podcast_scraper.lock)"

# --wait-lock: the second run waits for the holder (redoing everything with
# --force) and then finds every episode done; the holder is not disturbed.
slow_run --force
run_ps "$URL" --output-dir fd --wait-lock
expect_status 0
expect_in "$T_WORK/err" "waiting for pid $HOLDER"
expect_summary failed=0
set +e
wait "$HOLDER"
T_STATUS=$?
set -e
expect_status 0
finish
