#!/usr/bin/env bash
# A failed episode names the cause of its failure, with the OS or parser's
# reason, in the same words in the log line, in state.sqlite (last_error) and
# in the run's index.json (error_message).
set -e
. "$TEST_SRCDIR/e2e/feeds/lib.sh"
site_start
cd "$T_WORK"

mkdir -p "$SITE/t"
make_vtt 3 "blocked" >"$SITE/t/ok.vtt"
printf '{"segments": [ {"start": 1,' >"$SITE/t/bad.json"   # cut short: no valid JSON
F=$SITE/feed.xml
feed_open "$F" "Causes"
feed_item "$F" --title "Blocked metadata" --guid blocked --date 2026-04-01 \
	--transcript t/ok.vtt text/vtt
feed_item "$F" --title "Broken transcript" --guid broken --date 2026-04-02 \
	--transcript t/bad.json application/json
feed_close "$F"

# expect_cause GUID TEXT: TEXT in the log's error line, state.sqlite and index.json
# of the folder $OUT (default r)
expect_cause() {
	local guid=$1 text=$2 r=${OUT:-r}
	check "$guid: the log line gives the cause" \
		grep -qF "ERROR" <(grep -F "($guid): " "$T_WORK/err" | grep -F -- "$text")
	check "$guid: state.sqlite last_error gives the cause" \
		grep -qF -- "$text" <(sqlite3 $r/state.sqlite \
			"SELECT last_error FROM episodes WHERE episode_id='$guid'")
	check "$guid: index.json error_message gives the cause" python3 - \
		"$(ls -t $r/runs/*/index.json | head -1)" "$guid" "$text" <<'PY'
import json, sys
rows = [r for r in json.load(open(sys.argv[1]))["episodes"] if r["episode_id"] == sys.argv[2]]
sys.exit(not (len(rows) == 1 and rows[0]["status"] == "failed" and
              sys.argv[3] in rows[0]["error_message"]))
PY
}

# the first run writes the metadata; then a folder takes the file's place
run_ps "$SERVER_URL/feed.xml" --output-dir r --http-retries 0
expect_status 3
meta=$(ls r/metadata/*_Blocked_metadata_*.metadata.json)
rm "$meta"
mkdir "$meta"
run_ps "$SERVER_URL/feed.xml" --output-dir r --http-retries 0 --force
expect_status 3
expect_done_last
expect_summary failed=2
expect_cause blocked "metadata: cannot write '$meta': Is a directory"
# the parser's reason, not only "could not be parsed"
expect_cause broken "t/bad.json: "
expect_cause broken "JSON"
check "the error is logged once per episode" \
	test "$(grep -c 'ERROR.*(blocked): ' "$T_WORK/err")" = 1

# --- the system refuses a write: its reason, not that of a link tried after ----
# A big transcript whose other link and enclosure are missing (404), and a big
# enclosure.  A file-size limit (RLIMIT_FSIZE, with SIGXFSZ ignored) makes the
# write fail with EFBIG as a full disk would with ENOSPC, without root.
make_vtt 8000 "big" >"$SITE/t/big.vtt"
mkdir -p "$SITE/media"
yes 'these bytes are not audio' | head -c 400000 >"$SITE/media/big.mp3"
G=$SITE/big.xml
feed_open "$G" "Big"
feed_item "$G" --title "Big transcript" --guid big --date 2026-04-03 \
	--transcript t/big.vtt text/vtt --transcript t/missing.vtt text/vtt \
	--enclosure media/missing.mp3 audio/mpeg
feed_item "$G" --title "Big audio" --guid bigaudio --date 2026-04-04 \
	--enclosure media/big.mp3 audio/mpeg
feed_close "$G"
check "the transcript is past the limit" test "$(stat -c %s "$SITE/t/big.vtt")" -gt 300000

run_limited() {   # run_limited KIB ARGS...: the binary, its files capped at KIB KiB
	local kib=$1
	shift
	set +e
	(trap '' XFSZ; ulimit -f "$kib"; exec "$PODCAST_SCRAPER" "$@") >"$T_WORK/out" 2>"$T_WORK/err"
	T_STATUS=$?
	set -e
}
# expect_no_http GUID: no HTTP reason blamed in the log line, state or index
expect_no_http() {
	local guid=$1 r=${OUT:-r}
	check "$guid: the log line blames no HTTP status" \
		test -z "$(grep -F "($guid): " "$T_WORK/err" | grep -F HTTP)"
	check "$guid: state.sqlite blames no HTTP status" test -z "$(sqlite3 $r/state.sqlite \
		"SELECT last_error FROM episodes WHERE episode_id='$guid'" | grep -F HTTP)"
	check "$guid: index.json blames no HTTP status" \
		test -z "$(grep -F '"error_message"' $(ls -t $r/runs/*/index.json | head -1) | grep -F HTTP)"
}

run_limited 256 "$SERVER_URL/big.xml" --output-dir fsize --http-retries 0
expect_status 3
expect_done_last
expect_summary failed=2
OUT=fsize expect_cause big "transcripts/2026-04-03_Big_transcript_"
OUT=fsize expect_cause big "File too large"
OUT=fsize expect_no_http big
OUT=fsize expect_cause bigaudio "File too large"
OUT=fsize expect_no_http bigaudio
check "the missing link was not tried after the refused write" \
	test "$(requests_matching /t/missing.vtt)" = 0

# The same on a full disk (ENOSPC), where a tmpfs can be mounted (root).
if [ "$(id -u)" = 0 ] && mkdir -p full && mount -t tmpfs -o size=256k tmpfs full 2>/dev/null; then
	trap 'umount "$T_WORK/full" 2>/dev/null; server_stop; rm -rf "$T_WORK"' EXIT
	# one transfer at a time: a .part filling the disk while another episode's
	# failure is recorded would leave no room for the record
	run_ps "$SERVER_URL/big.xml" --output-dir full/out --http-retries 0 --workers 1
	expect_status 3
	cp -r full/out diskfull
	cp "$T_WORK/err" err.diskfull
	# a state database that cannot be read for lack of room is not "corrupted"
	head -c 1M /dev/zero >full/filler 2>/dev/null || true
	run_ps "$SERVER_URL/big.xml" --output-dir full/out --rebuild-state
	cp "$T_WORK/err" err.full
	check "a full disk, not a corrupted database" grep -q \
		"cannot check state database 'full/out/state.sqlite': .*No space left on device" err.full
	check "no rebuild on a full disk" test -z "$(ls full/out | grep corrupt)"
	umount full
	trap 'server_stop; rm -rf "$T_WORK"' EXIT
	cp err.diskfull "$T_WORK/err"
	OUT=diskfull expect_cause big "No space left on device"
	OUT=diskfull expect_no_http big
	OUT=diskfull expect_cause bigaudio "No space left on device"
else
	echo "not root or no tmpfs: the full-disk case is skipped (the size limit case ran)"
fi
finish
