#!/usr/bin/env bash
# The progress board on a real terminal (tmux): one line per episode in
# flight with its stage, a total line last, log lines above the board and
# never inside it, nothing left of the board at the end; no board with
# --no-progress or when stderr is not a terminal.
set -e
. "$TEST_SRCDIR/e2e/feeds/lib.sh"
command -v tmux >/dev/null || t_fail "tmux is not installed (see DEB_PACKAGES)"
site_start
cd "$T_WORK"
SOCK=pc_progress_$$
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; server_stop; rm -rf "$T_WORK"' EXIT

yes 'these bytes are not audio' | head -c 200000 >"$SITE/ep.mp3"
make_vtt 3 "published" >"$SITE/t1.vtt"
F=$SITE/feed.xml
feed_open "$F" "Progress"
feed_item "$F" --title "Published one" --guid p1 --date 2026-05-01 --transcript t1.vtt text/vtt
feed_item "$F" --title "Slow audio two" --guid a2 --date 2026-05-02 \
	--enclosure "ep.mp3?delay_ms=2500" audio/mpeg
feed_item "$F" --title "Slow audio three" --guid a3 --date 2026-05-03 \
	--enclosure "ep.mp3?delay_ms=2500&n=3" audio/mpeg
feed_close "$F"

# in_tmux NAME ARGS...: runs the binary in a fresh 120x30 pane
in_tmux() {
	local name=$1
	shift
	tmux -L "$SOCK" new-session -d -s "$name" -x 120 -y 30 \
		"$(printf '%q ' "$PODCAST_SCRAPER" "$@"); echo EXIT=\$?; sleep 60"
}

pane() {
	tmux -L "$SOCK" capture-pane -p -J -t "$1" | sed -e 's/ *$//' -e '/^$/d'
}

# wait_pane NAME REGEX: polls the pane until a line matches (90 s at most: a
# loaded machine can be slow, and the wait ends as soon as the line is there)
wait_pane() {
	local i
	for ((i = 0; i < 900; i++)); do
		pane "$1" | grep -qE "$2" && return 0
		sleep 0.1
	done
	pane "$1" >&2
	return 1
}

in_tmux board "$SERVER_URL/feed.xml" --output-dir board
# the published episode is done while both downloads wait on the server
check "the board shows both downloads under a total" \
	wait_pane board '^episodes 1/3 done, 0 failed, 2 active, ETA '
pane board >during
check "one row per episode in flight" test "$(grep -c '^  Slow audio .* download' during)" = 2
check "the total line is the last line" \
	grep -qE '^episodes 1/3 done, 0 failed, 2 active, ETA ' <(tail -1 during)
first_row=$(grep -n '^  Slow audio' during | head -1 | cut -d: -f1)
last_log=$(grep -n ' INFO ' during | tail -1 | cut -d: -f1)
check "log lines were printed above the board" test "$last_log" -lt "$first_row"
check "the finished episode was logged" grep -q "INFO write: episode '2026-05-01_Published_one_.*done" during
check "the run ends" wait_pane board '^EXIT=3$'
pane board >after
check "no board left at the end" bash -c "! grep -qE 'ETA|active|^  Slow' after"
check "every line is a log line, the summary or the exit status" \
	bash -c "! grep -vE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T|^Done\\.|^EXIT=' after"
check "the failures were logged" grep -q 'ERROR .*Slow_audio_two' after

in_tmux quiet "$SERVER_URL/feed.xml" --output-dir quiet --no-progress
check "--no-progress: the run ends" wait_pane quiet '^EXIT=3$'
check "--no-progress: no board" bash -c "! pane quiet | grep -qE 'ETA|active'"
export -f pane
export SOCK

run_ps "$SERVER_URL/feed.xml" --output-dir notty --progress
expect_status 3
expect_not_in "$T_WORK/err" "ETA"
check "stderr not a terminal: no escape codes" bash -c "! grep -q $'\\033' '$T_WORK/err'"
finish
