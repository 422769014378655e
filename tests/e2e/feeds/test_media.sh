#!/usr/bin/env bash
# Enclosure downloads of episodes without a transcript: a dropped download
# is resumed with Range, within a run and by the next run, and kept under
# media/ with --keep-media.  The bytes are not audio, so the episode then
# fails at the transcribe stage with an error naming the file, and the media
# file is what we check.
set -e
. "$TEST_SRCDIR/e2e/feeds/lib.sh"
site_start
cd "$T_WORK"

mkdir -p "$SITE/media"
# text, not audio: random bytes would sometimes decode as MP3 noise
yes 'these bytes are not audio' | head -c 300000 >"$SITE/media/ep.mp3"
F=$SITE/feed.xml
feed_open "$F" "Audio only"
feed_item "$F" --title "Audio one" --guid a1 --date 2026-05-01 \
	--enclosure "media/ep.mp3?close_after=100000" audio/mpeg
feed_close "$F"

# --- within a run: the retry asks for the rest --------------------------------
run_ps "$SERVER_URL/feed.xml" --output-dir within --keep-media
expect_status 3
expect_done_last
expect_summary episodes=1 transcripts=0 failed=1
expect_in "$T_WORK/err" "media/2026-05-01_Audio_one_"
expect_in "$T_WORK/err" "no audio stream"
check "first request dropped after 100000 bytes, then a Range request" \
	grep -q '^GET /media/ep.mp3?close_after=100000 bytes=100000- 206$' "$SERVER_LOG"
check "only one full request" \
	test "$(grep -c '^GET /media/ep.mp3?close_after=100000 - 200$' "$SERVER_LOG")" = 1
check "media kept complete" cmp "$SITE/media/ep.mp3" within/media/*_Audio_one_*.mp3
check "no .part left" test -z "$(find within -name '*.part')"
verify index within failed=1
check "index names the media and the stage" python3 - "$(echo within/runs/*/index.json)" <<'PY'
import json, sys
row = json.load(open(sys.argv[1]))["episodes"][0]
assert row["error_stage"] == "transcribe", row
assert row["paths"]["media"].startswith("media/") and row["paths"]["media"].endswith(".mp3"), row
PY

# --- across runs: a download cut off with no retry left is resumed next time --
sed -i 's#close_after=100000#close_after=120000#' "$F"
requests_reset
run_ps "$SERVER_URL/feed.xml" --output-dir across --keep-media --http-retries 0
expect_status 3
expect_done_last
part=$(find across -name '*.mp3.part')
check "a .part is left by the failed download" test -n "$part"
check "the .part has the bytes received" test "$(stat -c %s "$part")" = 120000
check "no media file yet" test -z "$(find across/media -name '*.mp3')"
requests_reset
run_ps "$SERVER_URL/feed.xml" --output-dir across --keep-media --http-retries 0
expect_status 3
check "the next run resumed from byte 120000" \
	grep -q '^GET /media/ep.mp3?close_after=120000 bytes=120000- 206$' "$SERVER_LOG"
check "media complete after the resume" cmp "$SITE/media/ep.mp3" across/media/*_Audio_one_*.mp3
check "no .part left after the resume" test -z "$(find across -name '*.part')"

# --- a server that ignores Range: the download starts over, still complete ----
sed -i 's#close_after=120000#close_after=50000\&amp;no_range=1#' "$F"
requests_reset
run_ps "$SERVER_URL/feed.xml" --output-dir norange --keep-media
expect_status 3
check "a resume was asked for" \
	grep -q '^GET /media/ep.mp3?close_after=50000&no_range=1 bytes=50000- 200$' "$SERVER_LOG"
check "media complete without Range" cmp "$SITE/media/ep.mp3" norange/media/*_Audio_one_*.mp3

# --- the enclosure's own extension names the file when it is 1 to 5 characters
# (".mpega" is audio/mpeg's in mime.types), else the type's ---------------------
cp "$SITE/media/ep.mp3" "$SITE/media/ep.mpega"
cp "$SITE/media/ep.mp3" "$SITE/media/ep.mpeg3a"
E=$SITE/ext.xml
feed_open "$E" "Extensions"
feed_item "$E" --title "Five" --guid x5 --date 2026-05-02 --enclosure media/ep.mpega audio/mpeg
feed_item "$E" --title "Six" --guid x6 --date 2026-05-03 --enclosure media/ep.mpeg3a audio/mpeg
feed_close "$E"
run_ps "$SERVER_URL/ext.xml" --output-dir ext --download-media --no-transcribe-missing
expect_status 0
expect_summary skipped=2 failed=0
check "a 5-character extension is kept" test -f "$(echo ext/media/2026-05-02_Five_*.mpega)"
check "a longer one gives way to the type's" test -f "$(echo ext/media/2026-05-03_Six_*.mp3)"
finish
