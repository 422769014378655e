#!/usr/bin/env bash
# The Python tool's keys that act here: metadata_subdirectory (metadata, the
# index, reruns, --rebuild-state and clean_output all use that folder; a path
# leaving the feed folder is refused), metrics_output, summary_prompt and
# summary_chunk_size (seen by the chat server), save_cleaned_transcript, and
# the preprocessing silence settings (seen in what the trimmer cuts).
set -e
. "$TEST_SRCDIR/e2e/feeds/lib.sh"
site_start
cd "$T_WORK"

# A transcript of many distinct sentences, so that small chunks are many.
talk() {
	local i
	printf 'WEBVTT\n\n'
	for ((i = 0; i < 40; i++)); do
		printf '00:%02d:%02d.000 --> 00:%02d:%02d.900\nThe %s baker number %d explains why dough needs time to rise slowly.\n\n' \
			$((i / 60)) $((i % 60)) $((i / 60)) $((i % 60)) "$1" "$i"
	done
}
mkdir -p "$SITE/t"
talk rye >"$SITE/t/1.vtt"
talk wheat >"$SITE/t/2.vtt"
F=$SITE/feed.xml
feed_open "$F" "Python Keys"
feed_item "$F" --title "Rye" --guid k-1 --date 2026-02-01 --transcript "t/1.vtt" text/vtt
feed_item "$F" --title "Wheat" --guid k-2 --date 2026-02-02 --transcript "t/2.vtt" text/vtt
feed_close "$F"
URL=$SERVER_URL/feed.xml
chats() { grep -c '^POST /v1/chat/completions?mode=prompt - 200' "$SERVER_LOG" || true; }
test_fails() { ! "$@"; }
json() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps(eval(sys.argv[2])))' "$@"; }

# --- summary_chunk_size and summary_prompt reach the chat server ---------------
OPENAI=(--generate-summaries --summary-provider openai --openai-api-base "$SERVER_URL/v1?mode=prompt")
requests_reset
run_ps "$URL" --output-dir whole "${OPENAI[@]}"
expect_status 0
expect_summary summaries=2 failed=0
check "default chunks: one chat request per episode" test "$(chats)" = 2
check "the built-in instructions by default" grep -q 'You summarize podcast episodes' whole/metadata/*Rye*.json
check "the cleaned transcript is kept by default" test -n "$(ls whole/transcripts/*.cleaned.txt)"

requests_reset
run_ps "$URL" --output-dir fd "${OPENAI[@]}" --summary-chunk-size 100 \
	--summary-prompt "Talk like a ship captain." --metadata-subdirectory meta/data \
	--metrics-output stats/m.json --no-save-cleaned-transcript
expect_status 0
expect_summary summaries=2 failed=0
check "small chunks: map and reduce requests" test "$(chats)" -ge 8
check "the user's instructions in every request (the reply echoes them)" \
	grep -q 'Talk like a ship captain. Answer with strict JSON' fd/meta/data/*Rye*.metadata.json
check "the built-in opening is gone" test_fails grep -q 'You summarize podcast' fd/meta/data/*Rye*.metadata.json

# --- metadata_subdirectory ----------------------------------------------------
check "metadata under the subdirectory" test "$(ls fd/meta/data/*.metadata.json | wc -l)" = 2
check "nothing under metadata/" test ! -e fd/metadata
check "the index names the subdirectory" test "$(json fd/runs/*/index.json \
	'sorted(e["paths"]["metadata"].split("/")[0:2] == ["meta", "data"] for e in d["episodes"])')" = '[true, true]'
check "the state records the subdirectory" test "$(sqlite3 fd/state.sqlite \
	"SELECT count(*) FROM episodes WHERE files LIKE '%meta/data/%'")" = 2

# --- save_cleaned_transcript false --------------------------------------------
check "no cleaned transcript kept" test -z "$(ls fd/transcripts/ | grep cleaned || true)"
check "the state records no cleaned file" test "$(sqlite3 fd/state.sqlite \
	"SELECT count(*) FROM episodes WHERE files LIKE '%cleaned%'")" = 0
check "the index names no cleaned file" test_fails grep -q cleaned fd/runs/*/index.json

# --- metrics_output -------------------------------------------------------------
check "metrics written at metrics_output" test -s stats/m.json
check "the same document as the run's metrics.json" cmp -s stats/m.json fd/runs/*/metrics.json
check "it counts the summaries" test "$(json stats/m.json 'd["summaries"]')" = 2

# --- reruns use the subdirectory ----------------------------------------------------
requests_reset
run_ps "$URL" --output-dir fd "${OPENAI[@]}" --summary-chunk-size 100 \
	--summary-prompt "Talk like a ship captain." --metadata-subdirectory meta/data \
	--no-save-cleaned-transcript
expect_status 0
expect_summary skipped=2 failed=0
check "the rerun downloaded no transcript" test "$(requests_matching '/t/.*')" = 0
check "the rerun asked the chat server nothing" test "$(chats)" = 0

printf 'not a database, not at all' >fd/state.sqlite
rm -f fd/state.sqlite-wal fd/state.sqlite-shm
# (the rebuilt rows know their metadata, found in the subdirectory)
run_ps "$URL" --output-dir fd --metadata-subdirectory meta/data --rebuild-state
expect_status 0
expect_summary skipped=2 failed=0
expect_in "$T_WORK/err" "2 episodes done from meta/data/"
# (with no .cleaned.txt kept, the metadata's own summary says one was made)
requests_reset
run_ps "$URL" --output-dir fd "${OPENAI[@]}" --metadata-subdirectory meta/data \
	--no-save-cleaned-transcript
expect_status 0
expect_summary skipped=2 failed=0
check "rebuilt rows are not summarized again" test "$(chats)" = 0

printf '{}' >fd/meta/data/left-over.metadata.json
run_ps "$URL" --output-dir fd --metadata-subdirectory meta/data --clean-output --max-episodes 1
expect_status 0
expect_summary failed=0
check "clean_output emptied the subdirectory" test ! -e fd/meta/data/left-over.metadata.json
check "and wrote into it again" test "$(ls fd/meta/data/*.metadata.json | wc -l)" = 1

# --- escaping paths are refused -----------------------------------------------
for bad in ../x /tmp/x a/../../x . 'a//b'; do
	run_ps "$URL" --output-dir esc --metadata-subdirectory "$bad"
	expect_status 1
	expect_in "$T_WORK/err" "key 'metadata_subdirectory': '$bad' is not a folder inside the feed folder"
done
check "nothing written for refused paths" test ! -e esc
printf 'metadata_subdirectory: ../../etc\n' >esc.yaml
run_ps --config esc.yaml "$URL" --output-dir esc
expect_status 1
expect_in "$T_WORK/err" "key 'metadata_subdirectory': '../../etc' is not a folder inside"

# --- metrics_output with several feeds ----------------------------------------------
sed 's/Python Keys/Other Keys/; s/k-1/o-1/; s/k-2/o-2/' "$F" >"$SITE/feed2.xml"
run_ps "$URL" "$SERVER_URL/feed2.xml" --output-dir two --metrics-output two.json
expect_status 0
check "one entry per feed" test "$(json two.json '[len(d["feeds"]), sorted(f["episodes"]["selected"] for f in d["feeds"])]')" \
	= '[2, [2, 2]]'
check "each entry names its feed" test "$(json two.json 'sorted(f["feed_url"].rsplit("/")[-1] for f in d["feeds"])')" \
	= '["feed.xml", "feed2.xml"]'

# --- preprocessing_silence_duration and _threshold drive the trimmer ----------------
flite -voice slt -t "the quick brown fox." -o a.wav
python3 - <<'PY'
import wave
a = wave.open("a.wav"); p = a.getparams(); s = a.readframes(a.getnframes())
w = wave.open("gap.wav", "wb"); w.setparams(p)
w.writeframes(s + b"\0\0" * (p.framerate * 3) + s); w.close()
PY
# "<audio> s of audio, <kept> s after cutting ..." from the debug log
kept() { sed -n 's/.* s of audio, \([0-9.]*\) s after cutting.*/\1/p' "$T_WORK/err" | head -1; }
cut_s() { python3 -c 'import sys; print(round(float(sys.argv[1]) - float(sys.argv[2]), 1))' \
	"$(sed -n 's/.*: \([0-9.]*\) s of audio, .*/\1/p' "$T_WORK/err" | head -1)" "$(kept)"; }
run_ps transcribe gap.wav --log-level debug --isolation inline
expect_status 0
check "by default the 3 s pause is cut to half a second" \
	python3 -c 'import sys; assert 2.4 <= float(sys.argv[1]) <= 3.0, sys.argv[1]' "$(cut_s)"
run_ps transcribe gap.wav --log-level debug --isolation inline --preprocessing-silence-duration 5
expect_status 0
check "a pause shorter than the duration stays" test "$(cut_s)" = 0.0
run_ps transcribe gap.wav --log-level debug --isolation inline --preprocessing-silence-threshold=-100dB
expect_status 0
check "nothing is below -100 dB: nothing is cut" test "$(cut_s)" = 0.0
run_ps transcribe gap.wav --preprocessing-silence-threshold loud
expect_status 1
expect_in "$T_WORK/err" "key 'preprocessing_silence_threshold': 'loud' is not a level"
finish
