#!/usr/bin/env bash
# Published transcripts of every format, relative links behind a redirect,
# retries, prefer_type ordering and falling back to the next candidate.
set -e
. "$TEST_SRCDIR/e2e/feeds/lib.sh"
site_start
cd "$T_WORK"

# --- every format, saved byte for byte, with text and segments -----------
mkdir -p "$SITE/t"
make_vtt 4 "alpha" >"$SITE/t/a.vtt"
make_srt 3 "bravo" >"$SITE/t/b.srt"
make_json 3 "charlie" >"$SITE/t/c.json"
make_html 2 "delta" >"$SITE/t/d.html"
# plain text as published: CRLF, blank lines and trailing blanks stay as they are
printf 'echo plain line 0.\r\necho plain line 1.  \r\n\r\n\r\nSecond paragraph.\r\n' \
	>"$SITE/t/e.txt"
F=$SITE/mix.xml
feed_open "$F" "Mixed formats"
feed_item "$F" --title "Ep VTT" --guid g-vtt --date 2026-01-05 --transcript t/a.vtt text/vtt
feed_item "$F" --title "Ep SRT" --guid g-srt --date 2026-01-04 \
	--transcript t/b.srt application/x-subrip
feed_item "$F" --title "Ep JSON" --guid g-json --date 2026-01-03 \
	--transcript t/c.json application/json
feed_item "$F" --title "Ep HTML" --guid g-html --date 2026-01-02 --transcript t/d.html text/html
feed_item "$F" --title "Ep Text" --guid g-txt --date 2026-01-01 --transcript t/e.txt text/plain
feed_close "$F"

run_ps "$SERVER_URL/mix.xml" --output-dir mix
expect_status 0
expect_done_last
expect_summary feeds=1 episodes=5 transcripts=5 "downloaded 5" failed=0 skipped=0
verify outputs mix "$SITE" "$SERVER_URL" 5
for pair in VTT:a.vtt SRT:b.srt JSON:c.json HTML:d.html Text:e.txt; do
	name=${pair%%:*} file=${pair#*:}
	meta=$(echo mix/metadata/*_Ep_${name}_*.metadata.json)
	check "metadata for Ep $name" test -f "$meta"
	stem=$(basename "$meta" .metadata.json)
	check "Ep $name saved byte for byte" cmp "$SITE/t/$file" "mix/transcripts/$stem.${file#*.}"
	verify json "$meta" processing.schema_version=1.1.0 \
		content.transcript_source=direct_download \
		content.transcript_file_path="transcripts/$stem.${file#*.}" \
		episode.guid="g-${file#*.}" feed.title="Mixed formats"
done
# the text carries the cue text, not the markup
expect_in mix/transcripts/*_Ep_VTT_*.txt "alpha line 3 of the show."
expect_not_in mix/transcripts/*_Ep_VTT_*.txt "-->"
expect_in mix/transcripts/*_Ep_HTML_*.txt "delta paragraph 1 & more."
expect_not_in mix/transcripts/*_Ep_HTML_*.txt "<p>"
expect_in mix/transcripts/*_Ep_JSON_*.segments.json "charlie json 2."
verify index mix ok=5 failed=0 skipped=0
for f in run_manifest metrics index run; do
	check "runs/*/$f.json is JSON" python3 -m json.tool mix/runs/*/$f.json /dev/null
done

# --- relative links resolve against the URL after redirects --------------
mkdir -p "$SITE/other/t"
make_vtt 2 "redirected" >"$SITE/other/t/a.vtt"   # the right one
F=$SITE/other/feed.xml
feed_open "$F" "Moved"
feed_item "$F" --title "Moved episode" --guid g-moved --date 2026-02-01 \
	--transcript t/a.vtt text/vtt
feed_close "$F"
requests_reset
run_ps "$SERVER_URL/feed.xml?redirect=/other/feed.xml" --output-dir moved
expect_status 0
expect_done_last
check "redirect followed" grep -q '^GET /feed.xml?redirect=/other/feed.xml - 302$' "$SERVER_LOG"
check "transcript fetched relative to the final URL" \
	grep -q '^GET /other/t/a.vtt - 200$' "$SERVER_LOG"
check "not relative to the first URL" test "$(requests_matching /t/a.vtt)" = 0
check "moved transcript saved" cmp "$SITE/other/t/a.vtt" moved/transcripts/*_Moved_episode_*.vtt
verify json moved/metadata/*.metadata.json \
	content.transcript_urls.0.url="$SERVER_URL/other/t/a.vtt"

# --- a transcript that fails twice with 500, then works --------------------
make_vtt 2 "flaky" >"$SITE/t/flaky.vtt"
F=$SITE/flaky.xml
feed_open "$F"
feed_item "$F" --title "Flaky" --guid g-flaky --date 2026-02-02 \
	--transcript "t/flaky.vtt?fail=2" text/vtt
feed_close "$F"
requests_reset
run_ps "$SERVER_URL/flaky.xml" --output-dir flaky
expect_status 0
expect_done_last
check "two failures then success" test "$(grep -c '^GET /t/flaky.vtt?fail=2 ' "$SERVER_LOG")" = 3
check "500s logged" test "$(grep -c '^GET /t/flaky.vtt?fail=2 - 500$' "$SERVER_LOG")" = 2
check "flaky transcript saved" cmp "$SITE/t/flaky.vtt" flaky/transcripts/*_Flaky_*.vtt

# --- prefer_type picks among candidates; broken candidates fall through ----
make_srt 2 "preferred" >"$SITE/t/p.srt"
make_vtt 2 "unpreferred" >"$SITE/t/p.vtt"
make_vtt 2 "second" >"$SITE/t/second.vtt"
printf '{"segments": [ {"startTime": 1, ' >"$SITE/t/broken.json"
F=$SITE/pref.xml
feed_open "$F"
feed_item "$F" --title "Two kinds" --guid g-two --date 2026-02-03 \
	--transcript t/p.vtt text/vtt --transcript t/p.srt application/x-subrip
feed_item "$F" --title "First missing" --guid g-404 --date 2026-02-04 \
	--transcript t/missing.vtt text/vtt --transcript t/second.vtt text/vtt
feed_item "$F" --title "First unparsable" --guid g-bad --date 2026-02-05 \
	--transcript t/broken.json application/json --transcript t/second.vtt text/vtt
feed_close "$F"
requests_reset
run_ps "$SERVER_URL/pref.xml" --output-dir pref --prefer-type srt
expect_status 0
expect_done_last
expect_summary episodes=3 transcripts=3 failed=0
check "srt preferred" cmp "$SITE/t/p.srt" pref/transcripts/*_Two_kinds_*.srt
check "no vtt for the srt episode" test -z "$(ls pref/transcripts/ | grep '_Two_kinds_.*\.vtt$')"
check "the vtt was not even fetched" test "$(requests_matching /t/p.vtt)" = 0
verify json pref/metadata/*_Two_kinds_*.metadata.json \
	content.transcript_file_path="$(cd pref && echo transcripts/*_Two_kinds_*.srt)"
check "404 tried once" test "$(grep -c '^GET /t/missing.vtt - 404$' "$SERVER_LOG")" = 1
check "404 falls back to the second" cmp "$SITE/t/second.vtt" pref/transcripts/*_First_missing_*.vtt
check "unparsable falls back" cmp "$SITE/t/second.vtt" pref/transcripts/*_First_unparsable_*.vtt
check "no broken json kept" test -z "$(ls pref/transcripts/ | grep '_First_unparsable_.*\.json$' | grep -v segments)"
verify outputs pref "$SITE" "$SERVER_URL" 3

# without a preference the feed order wins
run_ps "$SERVER_URL/pref.xml" --output-dir nopref
expect_status 0
check "feed order without prefer_type" cmp "$SITE/t/p.vtt" nopref/transcripts/*_Two_kinds_*.vtt
# a preference may also be a MIME type, and several are tried in order
run_ps "$SERVER_URL/pref.xml" --output-dir mime --prefer-type application/json \
	--prefer-type x-subrip
expect_status 0
check "MIME preference" cmp "$SITE/t/p.srt" mime/transcripts/*_Two_kinds_*.srt

# --- gzip on the wire, a mislabelled transcript, an empty one ----------------
printf '1\n00:00:01,000 --> 00:00:02,000\nlabelled plain, really SRT\n\n' >"$SITE/t/untyped"
: >"$SITE/t/empty.vtt"
F=$SITE/odd.xml
feed_open "$F"
feed_item "$F" --title "Zipped" --guid g-gz --date 2026-02-06 --transcript "t/a.vtt?gzip=1" text/vtt
feed_item "$F" --title "Untyped" --guid g-un --date 2026-02-07
sed -i 's#<guid isPermaLink="false">g-un</guid>#&<podcast:transcript url="t/untyped?content_type=text/plain"/>#' "$F"
feed_close "$F"
run_ps "$SERVER_URL/odd.xml?gzip=1" --output-dir odd
expect_status 0
expect_summary transcripts=2 failed=0
check "gzip-encoded transcript saved decoded" cmp "$SITE/t/a.vtt" odd/transcripts/*_Zipped_*.vtt
check "SRT served as text/plain kept as .srt" cmp "$SITE/t/untyped" odd/transcripts/*_Untyped_*.srt
check "with segments" test -s "$(echo odd/transcripts/*_Untyped_*.segments.json)"

F=$SITE/empty.xml
feed_open "$F"
feed_item "$F" --title "Empty" --guid g-empty --date 2026-02-08 --transcript t/empty.vtt text/vtt
feed_close "$F"
run_ps "$SERVER_URL/empty.xml" --output-dir empty
expect_status 3
expect_done_last
expect_summary transcripts=0 failed=1
check "nothing saved for an empty transcript" test -z "$(ls empty/transcripts)"
check "the index names the transcript" grep -q "$SERVER_URL/t/empty.vtt" empty/runs/*/index.json
finish
