#!/usr/bin/env bash
# Credentials in URLs reach the servers and nothing else.  A feed URL with a
# user and password and a ?token=, a transcript URL with a ?sig=, a missing
# feed with credentials and a speech server whose base URL holds a password:
# requests carry them all, but no log line, no output file, no state row and
# no temporary file does.  A kill -9 during the speech stage leaves no
# worker config behind.
set -e
. "$TEST_SRCDIR/e2e/feeds/lib.sh"
site_start
cd "$T_WORK"
mkdir -p "$SITE/t" tmp tmp_kill
FPW=fpw-7731 TOK=tok-5519 SIG=sig-8842 APW=apw-6120 KEY=sk-e2e-key-3307
SECRETS=("$FPW" "$TOK" "$SIG" "$APW" "$KEY" feeduser apiuser)
export OPENAI_API_KEY=$KEY
HOSTPORT=${SERVER_URL#http://}
FEED="http://feeduser:$FPW@$HOSTPORT/feed.xml?token=$TOK"
MISSING="http://feeduser:$FPW@$HOSTPORT/missing.xml?token=$TOK"
API="http://apiuser:$APW@$HOSTPORT/v1?mode=error401&api_key=$TOK"

make_vtt 2 "published" >"$SITE/t/1.vtt"
flite -voice slt -t "a short clip." -o "$SITE/a.wav"
F=$SITE/feed.xml
feed_open "$F" "Secrets"
feed_item "$F" --title "Published" --guid "https://example.org/ep/1?token=$TOK" --date 2026-03-02 \
	--transcript "t/1.vtt?sig=$SIG" text/vtt --enclosure "a.wav?token=$TOK" audio/wav
feed_item "$F" --title "Spoken" --guid g-spoken --date 2026-03-01 \
	--enclosure "a.wav?token=$TOK" audio/wav
feed_close "$F"

# no_secrets WHAT PATH...: none of the secrets in any file under PATH
no_secrets() {
	local what=$1 s hits
	shift
	for s in "${SECRETS[@]}"; do
		hits=$(grep -rlaF -- "$s" "$@" 2>/dev/null || true)
		check "'$s' in no $what file${hits:+ (found in $hits)}" test -z "$hits"
	done
}

TMPDIR=$T_WORK/tmp run_ps "$FEED" "$MISSING" -o res --transcription-provider openai \
	--openai-api-base "$API" --log-file run.log --log-level debug
expect_status 3
# the credentials were used: the server saw the real URLs
check "feed fetched with its token" test "$(requests_matching "/feed\.xml\?token=$TOK")" -ge 1
check "transcript fetched with its sig" test "$(requests_matching "/t/1\.vtt\?sig=$SIG")" = 1
expect_in "$SERVER_LOG" "POST /v1/audio/transcriptions?mode=error401&api_key=$TOK"
# the failures were said, with the URLs redacted
expect_in "$T_WORK/err" "http://***@$HOSTPORT/missing.xml?token=***"
expect_in "$T_WORK/err" "http://***@$HOSTPORT/v1/audio/transcriptions?mode=error401&api_key=***"
expect_in "$T_WORK/err" "HTTP 401"
for db in res/*/state.sqlite; do
	sqlite3 "$db" .dump >"$db.dump"
done
check "the failure is in the state" grep -q "HTTP 401" res/*/state.sqlite.dump
check "metadata names the transcript URL" \
	grep -qF "/t/1.vtt?sig=***" res/*/metadata/*Published*.json
check "metadata names the feed URL" \
	grep -qF "\"http://***@$HOSTPORT/feed.xml?token=***\"" res/*/metadata/*Published*.json
check "index.json written" compgen -G "res/*/runs/*/index.json" >/dev/null
no_secrets output res
no_secrets log run.log "$T_WORK/err" "$T_WORK/out"
no_secrets temporary tmp
check "no file left in TMPDIR" test -z "$(ls -A tmp)"

# A rerun finds its episodes under the redacted feed URL, also where an
# earlier version recorded them under the URL as given: nothing is redone.
for db in res/*/state.sqlite; do
	sqlite3 "$db" "UPDATE episodes SET feed_url = '$FEED' WHERE feed_url LIKE '%feed.xml%';
		UPDATE feed_http SET feed_url = '$FEED' WHERE feed_url LIKE '%feed.xml%'"
done
requests_reset
TMPDIR=$T_WORK/tmp run_ps "$FEED" "$MISSING" -o res --transcription-provider openai \
	--openai-api-base "$API"
check "the published transcript is not fetched again" \
	test "$(requests_matching "/t/1\.vtt\?sig=$SIG")" = 0
for db in res/*/state.sqlite; do
	sqlite3 "$db" .dump >"$db.dump"
done
no_secrets "rerun's state" res/*/state.sqlite.dump

# A state an earlier version wrote (schema 3): ids, feed URLs and errors as
# given, credentials and all, and two ids of one episode that differ only in
# a token.  The upgrade hides them all in the file's bytes, keeps the done
# row (nothing is redone) and names the feed of the ids that became one.
OLD_ID="https://example.org/ep/1?token=$TOK"
for db in res/*/state.sqlite; do
	rm -f "$db.dump"
	sqlite3 "$db" "UPDATE episodes SET feed_url = '$FEED' WHERE feed_url LIKE '%feed.xml%';
		UPDATE feed_http SET feed_url = '$FEED' WHERE feed_url LIKE '%feed.xml%';
		UPDATE episodes SET episode_id = '$OLD_ID' WHERE episode_id LIKE '%/ep/1?%';
		INSERT INTO episodes (feed_url, episode_id, stem, status, last_error, error_stage,
			attempts, updated_at)
		SELECT feed_url, 'https://example.org/ep/1?token=old-$TOK', stem || '-old', 'failed',
			'HTTP 404 from $MISSING', 'download', 1, '2099-01-01T00:00:00Z'
		FROM episodes WHERE episode_id = '$OLD_ID';
		PRAGMA user_version = 3"
done
check "the old state holds the raw id" grep -qaF "$OLD_ID" res/*/state.sqlite
check "the old state holds the raw error" grep -qaF "$FPW@" res/*/state.sqlite
requests_reset
TMPDIR=$T_WORK/tmp run_ps "$FEED" "$MISSING" -o res --transcription-provider openai \
	--openai-api-base "$API"
check "the published transcript is not fetched after the upgrade" \
	test "$(requests_matching "/t/1\.vtt\?sig=$SIG")" = 0
expect_in "$T_WORK/err" "feed 'http://***@$HOSTPORT/feed.xml?token=***': 2 recorded episodes \
have the id 'https://example.org/ep/1?token=***'"
rows=0
for db in res/*/state.sqlite; do
	rows=$((rows + $(sqlite3 "$db" "SELECT count(*) FROM episodes WHERE episode_id LIKE '%/ep/1?%'")))
done
check "one row for the published episode ($rows)" test "$rows" = 1
no_secrets "upgraded state" res

# kill -9 while a worker waits on the speech server: no config snapshot remains.
API_SLOW="http://apiuser:$APW@$HOSTPORT/v1?delay_ms=3000"
TMPDIR=$T_WORK/tmp_kill "$PODCAST_SCRAPER" "$FEED" -o kill_out \
	--transcription-provider openai --openai-api-base "$API_SLOW" --log-level debug \
	>"$T_WORK/kill.out" 2>"$T_WORK/kill.err" &
main=$!
# the worker has read its config and waits on the server
for ((i = 0; i < 200; i++)); do
	grep -q "openai: sending" "$T_WORK/kill.err" && break
	sleep 0.05
done
check "a worker is waiting on the server" pgrep -P "$main" -f " worker " >/dev/null
kill -9 "$main"
wait "$main" 2>/dev/null || true
check "no worker config snapshot in TMPDIR ($(ls tmp_kill | tr '\n' ' '))" \
	test -z "$(ls tmp_kill | grep podcast_scraper_config_ || true)"
no_secrets temporary tmp_kill
finish
