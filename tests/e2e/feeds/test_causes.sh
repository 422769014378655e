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
expect_cause() {
	local guid=$1 text=$2
	check "$guid: the log line gives the cause" \
		grep -qF "ERROR" <(grep -F "($guid): " "$T_WORK/err" | grep -F -- "$text")
	check "$guid: state.sqlite last_error gives the cause" \
		grep -qF -- "$text" <(sqlite3 r/state.sqlite \
			"SELECT last_error FROM episodes WHERE episode_id='$guid'")
	check "$guid: index.json error_message gives the cause" python3 - \
		"$(ls -t r/runs/*/index.json | head -1)" "$guid" "$text" <<'PY'
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
finish
