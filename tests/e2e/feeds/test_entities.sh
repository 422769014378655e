#!/usr/bin/env bash
# HTML named entities used without a DTD (hand-made and CMS feeds) are read
# as their characters; names HTML does not know stay as text with one
# warning; entity declarations and external entities stay refused.
set -e
. "$TEST_SRCDIR/e2e/feeds/lib.sh"
site_start
cd "$T_WORK"
mkdir -p "$SITE/t"
make_vtt 2 "entities" >"$SITE/t/e.vtt"

# --- HTML named entities without a DTD ------------------------------------
cat >"$SITE/html_entities.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0">
<channel><title>Caf&eacute; Radio</title>
<description>Talk&nbsp;&mdash; and more&hellip; &copyleft; here</description>
<item><title>Cr&egrave;me br&ucirc;l&eacute;e &mdash; part&nbsp;1</title>
<guid isPermaLink="false">g&eacute;1</guid>
<pubDate>Mon, 05 Jan 2026 09:00:00 GMT</pubDate>
<description>&lt;p&gt;D&eacute;j&agrave; vu&hellip;&lt;/p&gt;</description>
<podcast:transcript url="t/e.vtt" type="text/vtt"/>
</item></channel></rss>
XML
run_ps "$SERVER_URL/html_entities.xml" --output-dir ent
expect_status 0
expect_done_last
expect_summary feeds=1 episodes=1 transcripts=1 failed=0
meta=$(echo ent/metadata/*.metadata.json)
check "one metadata file" test -f "$meta"
verify json "$meta" "episode.title=Crème brûlée — part"$'\xc2\xa0'"1" "episode.guid=gé1" \
	"feed.title=Café Radio"
expect_in "$meta" "Déjà vu…"
# one warning for the name HTML does not know, naming the feed; kept as text
check "one warning for the unknown entity" \
	test "$(grep -c "undefined entity '&copyleft;' kept as text" "$T_WORK/err")" = 1
expect_in "$T_WORK/err" "$SERVER_URL/html_entities.xml"
expect_not_in "$T_WORK/err" "not defined"

# Declaring an HTML name is still a declaration: refused, nothing read.
cat >"$SITE/declared.xml" <<XML
<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY eacute SYSTEM "$SERVER_URL/secret.txt">]>
<rss version="2.0"><channel><title>&eacute;</title>
<item><title>a</title><guid>x</guid></item></channel></rss>
XML
echo secret >"$SITE/secret.txt"
requests_reset
run_ps "$SERVER_URL/declared.xml" --output-dir decl --http-retries 0
expect_status 1
expect_in "$T_WORK/err" "hostile XML"
check "the external entity was not fetched" test "$(requests_matching /secret.txt)" = 0

finish
