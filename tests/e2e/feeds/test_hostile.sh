#!/usr/bin/env bash
# Feeds that are hostile, broken or missing: a clear error naming the feed,
# exit 1 when no feed could be read, exit 3 when another feed went fine.
set -e
. "$TEST_SRCDIR/e2e/feeds/lib.sh"
site_start
cd "$T_WORK"

good_feed() {
	feed_open "$1" "Good"
	feed_item "$1" --title "Good episode" --guid g-good --date 2026-03-01 \
		--transcript t/good.vtt text/vtt
	feed_close "$1"
}
mkdir -p "$SITE/t"
make_vtt 2 "good" >"$SITE/t/good.vtt"
good_feed "$SITE/good.xml"

# An external entity pointing at a local file and at our own server: refused,
# and neither is read.
cat >"$SITE/xxe.xml" <<XML
<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY local SYSTEM "file:///etc/passwd">
 <!ENTITY remote SYSTEM "$SERVER_URL/secret.txt">
]>
<rss version="2.0"><channel><title>&local;&remote;</title>
<item><title>a</title><guid>x</guid></item></channel></rss>
XML
echo "secret" >"$SITE/secret.txt"
{
	printf '<?xml version="1.0"?>\n<!DOCTYPE rss [\n <!ENTITY a "lollollollollollollollollollol">\n'
	prev=a
	for e in b c d e f g h i j; do
		printf ' <!ENTITY %s "%s">\n' "$e" "$(printf "&$prev;%.0s" {1..10})"
		prev=$e
	done
	printf ']>\n<rss version="2.0"><channel><title>&j;</title>\n'
	printf '<item><title>&j;</title><guid>y</guid></item></channel></rss>\n'
} >"$SITE/laughs.xml"
# A DTD that would be fetched from the network if DTD loading were on.
cat >"$SITE/dtd.xml" <<XML
<?xml version="1.0"?>
<!DOCTYPE rss SYSTEM "$SERVER_URL/evil.dtd">
<rss version="2.0"><channel><title>&evil;</title><item><title>a</title></item></channel></rss>
XML
printf '<!DOCTYPE html>\n<html><head><title>Welcome</title></head><body><p>Our podcast</body></html>\n' \
	>"$SITE/page.html"
good_feed "$SITE/full.xml"
head -c 250 "$SITE/full.xml" >"$SITE/truncated.xml"
: >"$SITE/empty.xml"
printf '{"feed": "json, not XML"}\n' >"$SITE/notxml.json"

# expect_bad_feed TARGET PROBLEM...: exit 1, an error naming the feed URL and
# the problem, the feed fetched exactly once (--http-retries 0) and nothing
# else, the Done line last.
expect_bad_feed() {
	local target=$1 url=$SERVER_URL$1 out=out_$RANDOM
	shift
	requests_reset
	run_ps "$url" --output-dir "$out" --http-retries 0
	expect_status 1
	expect_done_last
	expect_summary feeds=1 episodes=0 failed=1
	T_CHECKS=$((T_CHECKS + 1))
	grep -F "$url" "$T_WORK/err" | grep -qiE "$1" || {
		cat "$T_WORK/err" >&2
		t_fail "no error naming $url and /$1/"
	}
	check "only the feed was requested for $target" \
		test "$(grep -vcF "GET $target " "$SERVER_LOG")" = 0
	check "the feed $target was fetched once, no retry" \
		test "$(grep -cF "GET $target " "$SERVER_LOG")" = 1
}

expect_bad_feed /xxe.xml "entit"
check "no external entity fetched" test "$(requests_matching /secret.txt)" = 0
expect_not_in "$T_WORK/err" "root:"
expect_bad_feed /laughs.xml "entit"
expect_bad_feed /page.html "not an RSS or Atom|html"
expect_bad_feed /truncated.xml "XML|end|truncat"
expect_bad_feed /empty.xml "empty"
expect_bad_feed /notxml.json "XML|not an RSS"
expect_bad_feed /missing.xml "404"
expect_bad_feed "/full.xml?truncate=400" "closed|truncat|partial"
expect_bad_feed "/full.xml?status=503" "503"

# DOCTYPE with an external DTD: the DTD is never loaded, whatever the verdict.
requests_reset
run_ps "$SERVER_URL/dtd.xml" --output-dir dtd --http-retries 0
check "the external DTD was not fetched" test "$(requests_matching /evil.dtd)" = 0
expect_done_last

# One bad feed among two: the good one is processed, exit 3.
requests_reset
run_ps "$SERVER_URL/good.xml" "$SERVER_URL/laughs.xml" --output-dir two
expect_status 3
expect_done_last
expect_summary feeds=2 episodes=1 transcripts=1 failed=1
expect_in "$T_WORK/err" "$SERVER_URL/laughs.xml"
gooddir=$(ls -d two/rss_127.0.0.1_*/ | while read -r d; do
	if [ -d "$d/transcripts" ] && [ -n "$(ls "$d/transcripts")" ]; then echo "$d"; fi
	done)
check "one feed folder with transcripts" test "$(echo "$gooddir" | wc -l)" = 1
verify outputs "$gooddir" "$SITE" "$SERVER_URL" 1
check "good transcript saved" cmp "$SITE/t/good.vtt" "$gooddir"/transcripts/*_Good_episode_*.vtt
check "index.json of the bad feed says which and why" python3 - two "$SERVER_URL/laughs.xml" <<'PY'
import glob, json, sys
rows = [r for f in glob.glob(sys.argv[1] + "/*/runs/*/index.json") for r in json.load(open(f))["episodes"]]
bad = [r for r in rows if r["title"] == sys.argv[2]]
assert len(bad) == 1 and bad[0]["status"] == "failed", rows
assert bad[0]["error_stage"] == "parse" and "entit" in bad[0]["error_message"], bad
PY

# The same with a missing feed first.
run_ps "$SERVER_URL/missing.xml" "$SERVER_URL/good.xml" --output-dir two404 --http-retries 0
expect_status 3
expect_summary feeds=2 transcripts=1 failed=1
expect_in "$T_WORK/err" "$SERVER_URL/missing.xml"

# Every feed bad: exit 1.
run_ps "$SERVER_URL/empty.xml" "$SERVER_URL/page.html" --output-dir allbad
expect_status 1
expect_summary feeds=2 episodes=0 failed=2
finish
