#!/usr/bin/env bash
# Where feeds come from (--feeds-file, --opml, several FEED arguments) and
# where their outputs go: one rss_<host>_<sha1(url)[:8]> folder per feed;
# --metadata-format yaml.
set -e
. "$TEST_SRCDIR/e2e/feeds/lib.sh"
site_start
cd "$T_WORK"

mkdir -p "$SITE/t"
for show in one two; do
	make_vtt 2 "show $show" >"$SITE/t/$show.vtt"
	feed_open "$SITE/$show.xml" "Show $show"
	feed_item "$SITE/$show.xml" --title "Pilot of $show" --guid "pilot-$show" \
		--date 2026-04-01 --transcript "t/$show.vtt" text/vtt
	feed_close "$SITE/$show.xml"
done
U1=$SERVER_URL/one.xml
U2=$SERVER_URL/two.xml
folder() { echo "rss_127.0.0.1_$(printf '%s' "$1" | sha1sum | cut -c1-8)"; }
D1=$(folder "$U1")
D2=$(folder "$U2")

expect_two_folders() {   # expect_two_folders OUT
	check "$1 holds exactly the two feed folders" \
		test "$(ls "$1" | sort | tr '\n' ' ')" = "$(printf '%s\n' "$D1" "$D2" | sort | tr '\n' ' ')"
	verify outputs "$1/$D1" "$SITE" "$SERVER_URL" 1
	verify outputs "$1/$D2" "$SITE" "$SERVER_URL" 1
	check "show one in its folder" cmp "$SITE/t/one.vtt" "$1/$D1"/transcripts/*_Pilot_of_one_*.vtt
	check "show two in its folder" cmp "$SITE/t/two.vtt" "$1/$D2"/transcripts/*_Pilot_of_two_*.vtt
	verify json "$(echo "$1/$D1"/metadata/*.json)" feed.url="$U1" feed.title="Show one"
	verify json "$(echo "$1/$D2"/metadata/*.json)" feed.url="$U2" feed.title="Show two"
	check "one state per feed" test -f "$1/$D1/state.sqlite" -a -f "$1/$D2/state.sqlite"
}

# --- --feeds-file: comments, blank lines, blanks around, duplicates ---------
printf '# my shows\n\n  %s  \n%s\n# %s/ignored.xml\n%s\n' "$U1" "$U2" "$SERVER_URL" "$U1" >feeds.txt
requests_reset
run_ps --feeds-file feeds.txt --output-dir ff
expect_status 0
expect_done_last
expect_summary feeds=2 episodes=2 transcripts=2
expect_two_folders ff
check "each feed fetched once" test "$(requests_matching '/(one|two)\.xml')" = 2
check "comment lines ignored" test "$(requests_matching /ignored.xml)" = 0

# --- --opml ------------------------------------------------------------------
cat >shows.opml <<XML
<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Subscriptions</title></head><body>
<outline text="Podcasts">
  <outline type="rss" text="One" xmlUrl="$(xesc "$U1")"/>
  <outline type="rss" text="Two" xmlUrl="$(xesc "$U2")"/>
</outline>
</body></opml>
XML
run_ps --opml shows.opml --output-dir opml
expect_status 0
expect_summary feeds=2 transcripts=2
expect_two_folders opml
# an incremental rerun through OPML: both feeds unchanged, one 304 each
run_ps --opml shows.opml --output-dir opml
expect_status 0
expect_summary feeds=2 transcripts=0 unchanged=2
echo '<html><body>no</body></html>' >bad.opml
run_ps --opml bad.opml --output-dir badopml
expect_status 1
expect_in "$T_WORK/err" "bad.opml"

# OPML is XML from outside too: an entity-declaring DOCTYPE is refused, and
# neither the external entity (local file or URL) nor the bomb is expanded.
echo "secret" >"$SITE/secret.txt"
cat >xxe.opml <<XML
<?xml version="1.0"?>
<!DOCTYPE opml [
 <!ENTITY local SYSTEM "file:///etc/passwd">
 <!ENTITY remote SYSTEM "$SERVER_URL/secret.txt">
]>
<opml version="2.0"><body><outline text="&local;" xmlUrl="$U1"/>
<outline text="&remote;" xmlUrl="$U2"/></body></opml>
XML
{
	entity_bomb opml
	printf '<opml version="2.0"><body><outline text="&j;" xmlUrl="%s"/></body></opml>\n' "$U1"
} >bomb.opml
for f in xxe.opml bomb.opml; do
	requests_reset
	run_ps --opml "$f" --output-dir "out_$f"
	expect_status 1
	expect_in "$T_WORK/err" "opml '$f': hostile XML: the DOCTYPE declares entities"
	check "$f: no feed fetched, no entity read" test ! -s "$SERVER_LOG"
	check "$f: nothing written" test ! -e "out_$f"
done

# --- FEED arguments without --output-dir: output/<feed folder> -------------
mkdir cwd && cd cwd
run_ps "$U1"
expect_status 0
check "one feed: output/$D1" test -d "output/$D1/transcripts"
check "nothing else under output/" test "$(ls output)" = "$D1"
run_ps "$U1" "$U2"
expect_status 0
expect_summary feeds=2 transcripts=1 unchanged=1
expect_two_folders output
cd "$T_WORK"

# --- --metadata-format yaml --------------------------------------------------
run_ps "$U1" --output-dir yaml --metadata-format yaml
expect_status 0
expect_done_last
check "no JSON metadata" test -z "$(ls yaml/metadata | grep -v '\.metadata\.yaml$')"
verify outputs yaml "$SITE" "$SERVER_URL" 1 --yaml
meta=$(echo yaml/metadata/*.metadata.yaml)
check "yaml schema version" grep -qE '^  schema_version: "?1\.1\.0"?$' "$meta"
check "yaml transcript source" grep -qE '^  transcript_source: "?direct_download"?$' "$meta"
check "yaml names the transcript" grep -q "transcript_file_path: .*transcripts/.*_Pilot_of_one_.*\.vtt" "$meta"
check "index points at the yaml" grep -q '\.metadata\.yaml' yaml/runs/*/index.json
finish
