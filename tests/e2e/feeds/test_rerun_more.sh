#!/usr/bin/env bash
# Reruns that ask for more than was made: summaries turned on, YAML metadata
# after JSON, a screenplay, another summary provider.  Finished episodes get
# exactly that from their kept transcripts (no transcript, media or speech
# request), counted as updated=N in the Done. line; the same settings again
# do nothing and rewrite no file; asking for less deletes nothing; a feed
# that answers 304 never hides what is newly asked.
set -e
. "$TEST_SRCDIR/e2e/feeds/lib.sh"
site_feed
cat >"$SITE/t/1.vtt" <<'VTT'
WEBVTT

00:00:00.000 --> 00:00:05.000
<v Maya>Welcome to the show. Today we talk about compilers written in Rust.

00:00:05.200 --> 00:00:10.000
<v Maya>The borrow checker catches whole classes of memory errors before the program runs.

00:00:12.000 --> 00:00:17.000
<v Jane>Incremental compilation keeps rebuild times short even for very large crates.

00:00:17.200 --> 00:00:23.000
<v Jane>Error messages in the compiler point at the exact span that caused the problem.
VTT
flite -voice slt -t "sleep shapes memory and deep sleep replays the day." -o "$SITE/a.wav"
feed_open "$F" "More Later"
feed_item "$F" --title "Rust compilers" --guid e1 --date 2026-01-05 --transcript t/1.vtt text/vtt
feed_item "$F" --title "Sleep science" --guid e2 --date 2026-01-04 --enclosure a.wav audio/wav
feed_close "$F"

export OPENAI_API_KEY=sk-e2e-more
REMOTE=(--transcription-provider openai --openai-api-base "$SERVER_URL/v1")
# Each case works on its own copy of a finished folder: $R
COPIES=0
run() { run_ps "$SERVER_URL/feed.xml" -o "$R" "${REMOTE[@]}" "$@"; }
copy_of() {   # copy_of FOLDER: R becomes a fresh copy of it
	R=$1.$((++COPIES))
	cp -a "$1" "$R"
}
snapshot() {   # names, bytes and mtimes of every output file
	(cd "$R" && find transcripts metadata media -type f -printf '%p %s %T@\n' 2>/dev/null | sort)
}
meta() {   # meta EXPR: a Python expression over docs (guid -> metadata), printed
	python3 - "$R" "$1" <<'PY'
import glob, json, os, sys
out, expr = sys.argv[1], sys.argv[2]
docs = {}
for f in glob.glob(os.path.join(out, "metadata", "*.metadata.json")):
    d = json.load(open(f))
    docs[d["episode"]["guid"]] = d
print(eval(expr))
PY
}
no_episode_requests() {
	check "$1: no transcript, media or speech request" \
		test -z "$(server_requests | grep -vE '^GET /feed.xml |^POST /v1/chat/completions ')"
}
providers() {
	meta 'sorted(str(d["summary"] and d["summary"]["provider"]) for d in docs.values())'
}

# --- a finished folder: no summaries, JSON metadata ------------------------
R=plain
run
expect_status 0
expect_summary transcripts=2 "downloaded 1" "transcribed 1" summaries=0
check "first run: no summary" test "$(providers)" = "['None', 'None']"
check "the audio was transcribed by the speech server" \
	test "$(meta 'docs["e2"]["content"]["asr_engine"]')" = openai

# --- summaries turned on: added from the kept transcripts ------------------
copy_of plain
requests_reset
run --generate-summaries
expect_status 0
expect_done_last
expect_summary transcripts=0 "downloaded 0" "transcribed 0" summaries=2 skipped=0 updated=2
for f in metrics run; do verify json "$(ls -t "$R"/runs/*/$f.json | head -n 1)" episodes.updated=2; done
no_episode_requests "summaries rerun"
check "summaries added" test "$(providers)" = "['textrank', 'textrank']"
check "the summary comes from the kept transcript" \
	test "$(meta '"borrow checker" in (docs["e1"]["summary"]["short_summary"] + " ".join(docs["e1"]["summary"]["key_points"]))')" = True
check "how the audio was transcribed is kept" \
	test "$(meta 'docs["e2"]["content"]["asr_engine"], docs["e2"]["content"]["transcript_source"]')" = "('openai', 'whisper_transcription')"
check "processing says this run" \
	test "$(meta 'docs["e1"]["processing"]["config_snapshot"]["generate_summaries"]')" = True
check "the download time of the first run is kept" \
	test "$(meta 'docs["e2"]["processing"]["stage_timings"]["download"] is not None')" = True
check "state records the summary" \
	test "$(sqlite3 "$R/state.sqlite" "SELECT count(*) FROM episodes WHERE json_extract(outputs, '$.summary') = 'textrank'")" = 2
verify index "$R" ok=2

# the same settings again: nothing done, no file rewritten
snapshot >s1
requests_reset
run --generate-summaries
expect_status 0
expect_summary transcripts=0 summaries=0 unchanged=1
check "same settings: a 304 and nothing else" test "$(server_requests)" = "GET /feed.xml - 304"
check "same settings: every file as it was" test "$(snapshot)" = "$(cat s1)"
# other settings read the feed again (no 304): still nothing to do
run --generate-summaries --max-episodes 5
expect_status 0
expect_summary transcripts=0 summaries=0 skipped=2
expect_not_in "$T_WORK/err" "updated="
verify json "$(ls -t "$R"/runs/*/metrics.json | head -n 1)" episodes.updated=0
check "full read: every file as it was" test "$(snapshot)" = "$(cat s1)"
# asking for less deletes nothing
run
expect_status 0
expect_summary summaries=0 skipped=2
check "fewer outputs asked: every file as it was" test "$(snapshot)" = "$(cat s1)"
check "summaries still in the metadata" test "$(providers)" = "['textrank', 'textrank']"

# rows from before outputs were recorded, or rebuilt from metadata (no file
# list either): what is on disk counts as made
sqlite3 "$R/state.sqlite" "UPDATE episodes SET outputs = NULL, files = NULL"
run --generate-summaries --max-episodes 8
expect_status 0
expect_summary summaries=0 skipped=2
check "old rows: nothing redone" test "$(snapshot)" = "$(cat s1)"
requests_reset
run --generate-summaries --screenplay
expect_status 0
expect_summary summaries=0 updated=2
no_episode_requests "old rows, screenplay"
check "old rows: screenplays added" test "$(ls "$R"/transcripts/*.screenplay.txt | wc -l)" = 2
check "old rows: the summaries kept" test "$(providers)" = "['textrank', 'textrank']"
check "old rows: files and outputs recorded again" test "$(sqlite3 "$R/state.sqlite" \
	"SELECT count(*) FROM episodes WHERE files LIKE '%screenplay%' AND outputs LIKE '%screenplay%'")" = 2

# --- YAML metadata after JSON ----------------------------------------------
copy_of plain
requests_reset
run --metadata-format yaml
expect_status 0
expect_summary summaries=0 updated=2
no_episode_requests "yaml rerun"
check "metadata.yaml added" test "$(ls "$R"/metadata/*.metadata.yaml | wc -l)" = 2
check "metadata.json kept" test "$(ls "$R"/metadata/*.metadata.json | wc -l)" = 2
check "the YAML says how the audio was transcribed" \
	grep -q '^  asr_engine: "openai"' "$R"/metadata/*Sleep*.metadata.yaml
check "the run's index names the YAML" python3 - "$R" <<'PY'
import glob, json, os, sys
last = max(glob.glob(sys.argv[1] + "/runs/*/index.json"), key=os.path.getmtime)
rows = json.load(open(last))["episodes"]
assert len(rows) == 2 and all(r["status"] == "ok" for r in rows), rows
assert all(r["paths"]["metadata"].endswith(".metadata.yaml") for r in rows), rows
PY
snapshot >s3
run --metadata-format yaml --max-episodes 9
expect_summary summaries=0 skipped=2
check "yaml again: every file as it was" test "$(snapshot)" = "$(cat s3)"

# a kept transcript gone missing: that update fails, nothing is redone
rm "$R"/transcripts/*Rust*
requests_reset
run --metadata-format yaml --screenplay
expect_status 3
expect_summary updated=1 failed=1
expect_in "$T_WORK/err" "the kept transcript is missing"
expect_in "$T_WORK/err" "--force"
no_episode_requests "missing transcript"
check "the failed update leaves its row done" \
	test "$(sqlite3 "$R/state.sqlite" "SELECT status FROM episodes WHERE episode_id = 'e1'")" = done

# --- another summary provider redoes the summary ---------------------------
R=local
run --generate-summaries --metadata-format yaml
expect_status 0
expect_summary summaries=2
requests_reset
run --generate-summaries --summary-provider openai
expect_status 0
expect_summary summaries=2 updated=2
no_episode_requests "provider rerun"
check "the chat endpoint made the summaries" \
	test "$(grep -c '^POST /v1/chat/completions - 200' "$SERVER_LOG")" = 2
check "the new summaries in the JSON" test "$(providers)" = "['openai', 'openai']"
check "and in the YAML" grep -q '^  provider: "openai"' "$R"/metadata/*Rust*.metadata.yaml
check "state records the provider and model" \
	test "$(sqlite3 "$R/state.sqlite" "SELECT DISTINCT json_extract(outputs, '$.summary') FROM episodes")" = "openai:gpt-4o-mini"
requests_reset
run --generate-summaries --summary-provider openai --max-episodes 9
expect_summary summaries=0 skipped=2
check "provider again: no chat request" test "$(grep -c '^POST /v1/chat' "$SERVER_LOG")" = 0

# --- the feed answers 304 to the old settings: a screenplay asked is added ---
R=plain   # the folder itself: its validators are for this output_dir
requests_reset
run
expect_summary unchanged=1
check "the first settings again: a 304" test "$(server_requests)" = "GET /feed.xml - 304"
sleep 0.01
touch marker
run --screenplay --dry-run
expect_status 0
expect_in "$T_WORK/err" "done; would add screenplay from the kept transcript"
check "dry run touched nothing, its state neither" test -z "$(find "$R" -newer marker)"
requests_reset
run --screenplay
expect_status 0
expect_summary summaries=0 updated=2
check "the feed was read again, not taken as unchanged" \
	test "$(server_requests | head -1)" = "GET /feed.xml - 200"
no_episode_requests "screenplay rerun"
check "screenplays added" test "$(ls "$R"/transcripts/*.screenplay.txt | wc -l)" = 2
check "screenplay from the kept voices" grep -q '^Jane: ' "$R"/transcripts/*Rust*.screenplay.txt
run --screenplay --max-episodes 9
expect_summary skipped=2
expect_not_in "$T_WORK/err" "updated="

finish
