#!/usr/bin/env bash
# kill -9 in the middle of a run, several times, then a rerun: the outputs
# equal those of an uninterrupted run (run-specific metadata fields aside),
# no .part or temporary file is left, state.sqlite is sound, no duplicates.
set -e
. "$TEST_SRCDIR/e2e/feeds/lib.sh"
site_start --latency-ms 25
cd "$T_WORK"

N=36
mkdir -p "$SITE/t"
F=$SITE/feed.xml
feed_open "$F" "Killed"
for ((i = 1; i <= N; i++)); do
	case $((i % 3)) in
	0) make_vtt 20 "ep $i" >"$SITE/t/$i.vtt"; tr="t/$i.vtt text/vtt" ;;
	1) make_srt 20 "ep $i" >"$SITE/t/$i.srt"; tr="t/$i.srt application/x-subrip" ;;
	2) make_json 20 "ep $i" >"$SITE/t/$i.json"; tr="t/$i.json application/json" ;;
	esac
	# shellcheck disable=SC2086
	feed_item "$F" --title "Killed episode $i" --guid "k-$i" \
		--date "2026-02-$(printf %02d $(((i % 28) + 1)))" --transcript $tr
done
feed_close "$F"
URL=$SERVER_URL/feed.xml

# The reference: one uninterrupted run.
run_ps "$URL" --output-dir clean --workers 2
expect_status 0
verify outputs clean "$SITE" "$SERVER_URL" $N

# kill_after SUB K: start a run, SIGKILL it once killed/SUB holds K files
# (transcripts/ counts files of episodes still being written).
kill_after() {
	local pid i
	"$PODCAST_SCRAPER" "$URL" --output-dir killed --workers 2 --delay-ms 20 2>"$T_WORK/err.bg" &
	pid=$!
	for ((i = 0; i < 3000; i++)); do
		[ "$(ls "killed/$1" 2>/dev/null | wc -l)" -ge "$2" ] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.005
	done
	kill -9 "$pid" 2>/dev/null || true
	set +e
	wait "$pid"
	T_STATUS=$?
	set -e
	expect_status 137
	check "a killed run left a sound database" \
		test "$(sqlite3 killed/state.sqlite 'PRAGMA integrity_check')" = ok
	echo "killed with $(ls killed/metadata | wc -l) of $N episodes written"
}

# stop_with SIG DIR: start a run, send SIG once an episode is done, wait.
# (--delay-ms keeps the run going long enough for the signal to find it busy)
stop_with() {
	local pid i
	"$PODCAST_SCRAPER" "$URL" --output-dir "$2" --workers 2 --delay-ms 40 2>"$T_WORK/err" &
	pid=$!
	for ((i = 0; i < 3000; i++)); do
		grep -q "done (direct_download)" "$T_WORK/err" && break
		sleep 0.005
	done
	kill "-$1" "$pid"
	set +e
	wait "$pid"
	T_STATUS=$?
	set -e
}

# SIGTERM stops the run cleanly: exit 128+15, the summary still printed last.
stop_with TERM killed
expect_status 143
expect_done_last
expect_in "$T_WORK/err" "stopping: terminated"
expect_in "$T_WORK/err" " pending="
expect_not_in "$T_WORK/err" "ERROR"
check "no temporary file after SIGTERM" test -z "$(find killed -name '.*.tmp-*')"
check "no .part after SIGTERM" test -z "$(find killed -name '*.part')"

# Ctrl-C (SIGINT) the same way: exit 128+2.  The program installs its own
# handler, so the SIGINT a non-interactive shell ignores for background jobs
# still reaches it.
stop_with INT intr
expect_status 130
expect_done_last
expect_in "$T_WORK/err" "stopping: interrupted (Ctrl-C)"
expect_not_in "$T_WORK/err" "ERROR"
check "no temporary file after SIGINT" test -z "$(find intr -name '.*.tmp-*')"
check "no .part after SIGINT" test -z "$(find intr -name '*.part')"
check "SIGINT left a sound database" \
	test "$(sqlite3 intr/state.sqlite 'PRAGMA integrity_check')" = ok

kill_after metadata 8
kill_after transcripts 60
kill_after metadata 28

run_ps "$URL" --output-dir killed --workers 2
expect_status 0
expect_done_last
expect_summary episodes=$N failed=0
verify outputs killed "$SITE" "$SERVER_URL" $N

check "no .part left" test -z "$(find killed -name '*.part')"
check "no temporary file left" test -z "$(find killed -name '.*.tmp-*')"
check "no stray hidden file" test -z "$(find killed/transcripts killed/metadata -name '.*')"
check "integrity_check ok" test "$(sqlite3 killed/state.sqlite 'PRAGMA integrity_check')" = ok
check "one row per episode" \
	test "$(sqlite3 killed/state.sqlite 'SELECT COUNT(*), COUNT(DISTINCT episode_id) FROM episodes')" = "$N|$N"
check "every episode done" \
	test "$(sqlite3 killed/state.sqlite "SELECT COUNT(*) FROM episodes WHERE status='done'")" = $N
check "every episode in the last index once" python3 - "$(ls -t killed/runs/*/index.json | head -1)" $N <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))["episodes"]
ids = [r["episode_id"] for r in rows]
assert len(ids) == int(sys.argv[2]) == len(set(ids)), (len(ids), len(set(ids)))
assert all(r["status"] in ("ok", "skipped") for r in rows)
PY

python3 "$FEEDS_LIB/verify.py" normalize clean norm_clean
python3 "$FEEDS_LIB/verify.py" normalize killed norm_killed
check "outputs equal an uninterrupted run" diff -r norm_clean norm_killed
finish
