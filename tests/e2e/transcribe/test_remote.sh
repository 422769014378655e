#!/usr/bin/env bash
# Remote engines through the real binary: an OpenAI-compatible server on
# loopback does the transcription and the summaries; the API key reaches the
# server and nothing else (no output file, no log line).
set -e
. "$TEST_SRCDIR/lib/assert.sh"
. "$TEST_SRCDIR/lib/server.sh"
cd "$T_WORK"
mkdir -p site
flite -voice slt -t "remote engines run where their server runs." -o site/a.wav
cat > site/feed.xml <<'XML'
<rss version="2.0"><channel><title>Remote Show</title>
<item><title>Audio only with Jane Doe</title><guid>r1</guid><pubDate>Mon, 05 Jan 2026 10:00:00 GMT</pubDate>
<enclosure url="a.wav" type="audio/wav"/></item>
</channel></rss>
XML
server_start site
KEY=sk-e2e-secret-4242
export OPENAI_API_KEY=$KEY
run_ps "$SERVER_URL/feed.xml" -o result --transcription-provider openai \
	--summary-provider openai --generate-summaries --openai-api-base "$SERVER_URL/v1" \
	--whisper-device cuda --summary-device cuda --log-file run.log --log-level debug
expect_status 0
check "the server got the key" grep -q 'POST /v1/audio/transcriptions.*auth=present' "$SERVER_LOG"
check "the episode's names primed the speech server" \
	grep -q 'POST /v1/audio/transcriptions.*prompt=\[Names: Jane Doe.\]' "$SERVER_LOG"
check "chat completions called with the key" grep -q 'POST /v1/chat/completions.*auth=present' "$SERVER_LOG"
check "key in no output file" test -z "$(grep -rl "$KEY" result run.log "$T_WORK/err" 2>/dev/null)"
python3 - result <<'PY'
import json, glob, sys
d = json.load(open(glob.glob(sys.argv[1] + "/metadata/*.json")[0]))
c = d["content"]
assert c["transcript_source"] == "whisper_transcription", c
assert c["asr_engine"] == "openai", c
assert c["whisper_model"] == c["asr_model"] and c["whisper_model"], c
assert d["summary"]["provider"] == "openai", d["summary"]
dev = d["processing"]["devices"]
# a remote engine runs where its server runs: the asked device is declared
assert dev["transcription"] == {"requested": "cuda", "used": "cuda"}, dev
assert "api_key" not in json.dumps(d["processing"]["config_snapshot"]), "key field in snapshot"
print("remote metadata ok")
PY
check "segments from the server" grep -q 'model=whisper-1' result/transcripts/*.txt
# with both stages on one declared accelerator they are serialized (mps_exclusive)
expect_in run.log "run one at a time (mps_exclusive)"

# A server that thinks longer than --timeout before answering is waited for:
# connecting and uploading are bounded by --timeout, the answer by the
# transcription's own limit.  (libcurl averages the speed over about 5 s,
# so the pause must be longer than that to be a stall at --timeout 1.)
run_ps "$SERVER_URL/feed.xml" -o slow --transcription-provider openai --timeout 1 \
	--openai-api-base "$SERVER_URL/v1?delay_ms=8000"
expect_status 0
check "the slow server's words kept" grep -q 'model=whisper-1' slow/transcripts/*.txt
check "asked once" test "$(grep -c 'POST /v1/audio/transcriptions?delay_ms' "$SERVER_LOG")" = 1

# A 401 names the server's message, never the key.
run_ps "$SERVER_URL/feed.xml" -o result401 --transcription-provider openai \
	--openai-api-base "$SERVER_URL/v1?mode=error401"
expect_status 3
expect_in "$T_WORK/err" "HTTP 401"
expect_not_in "$T_WORK/err" "$KEY"
# doctor checks a speech server: its model list and a 1 s clip sent as a
# transcription is; what is wrong is said plainly, never with the key.
run_ps doctor --transcription-provider openai --network "$SERVER_URL/v1"
expect_status 0
expect_in "$T_WORK/out" "ok    speech server models"
expect_in "$T_WORK/out" "whisper-1, whisper-large-v3 (asking for whisper-1)"
expect_in "$T_WORK/out" "ok    speech server clip"
expect_in "$T_WORK/out" "1 s test clip transcribed"
check "the clip reached the server" grep -q "POST /v1/audio/transcriptions - 200" "$SERVER_LOG"
run_ps doctor --transcription-provider openai --openai-transcription-model tiny-x \
	--network "$SERVER_URL/v1"
expect_status 0
expect_in "$T_WORK/out" "warn  speech server models"
expect_in "$T_WORK/out" "'tiny-x' is not among the server's models"
run_ps doctor --transcription-provider openai --network "$SERVER_URL"
expect_status 1
expect_in "$T_WORK/out" "FAIL  speech server models"
expect_in "$T_WORK/out" "HTTP 404"
expect_in "$T_WORK/out" "it usually ends in /v1"
run_ps doctor --transcription-provider openai --network "$SERVER_URL/v1?mode=error401"
expect_status 1
expect_in "$T_WORK/out" "warn  speech server models"
expect_in "$T_WORK/out" "FAIL  speech server clip"
expect_in "$T_WORK/out" "HTTP 401"
expect_not_in "$T_WORK/out" "$KEY"
run_ps doctor --transcription-provider openai --network "http://127.0.0.1:1/v1" --timeout 2
expect_status 1
expect_in "$T_WORK/out" "FAIL  speech server models"
finish
