#!/usr/bin/env bash
# Atom 0.3 feeds (namespace http://purl.org/atom/ns#) are read as Atom 1.0 is:
# issued/modified dates, link rel=alternate/enclosure, escaped content.
set -e
. "$TEST_SRCDIR/e2e/feeds/lib.sh"
site_start
cd "$T_WORK"
mkdir -p "$SITE/t"
make_vtt 2 "atom" >"$SITE/t/a.vtt"

cat >"$SITE/atom03.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<feed version="0.3" xmlns="http://purl.org/atom/ns#"
      xmlns:podcast="https://podcastindex.org/namespace/1.0">
<title>Old Atom Show</title>
<tagline mode="escaped" type="text/html">An &lt;i&gt;old&lt;/i&gt; show</tagline>
<link rel="alternate" type="text/html" href="https://old.example/"/>
<modified>2005-03-02T10:00:00Z</modified>
<author><name>Ann Host</name></author>
<entry>
 <title>Atom zero three</title>
 <id>tag:old.example,2005:e1</id>
 <link rel="alternate" type="text/html" href="https://old.example/e1"/>
 <issued>2005-03-01T09:00:00-05:00</issued>
 <modified>2005-03-02T09:00:00Z</modified>
 <content type="text/html" mode="escaped">&lt;p&gt;Escaped &amp;amp; read&lt;/p&gt;</content>
 <podcast:transcript url="t/a.vtt" type="text/vtt"/>
</entry>
</feed>
XML
run_ps "$SERVER_URL/atom03.xml" --output-dir a03
expect_status 0
expect_done_last
expect_summary feeds=1 episodes=1 transcripts=1 failed=0
meta=$(echo a03/metadata/*.metadata.json)
check "one metadata file" test -f "$meta"
check "the stem carries the issued date" test -n "$(ls a03/metadata/ | grep '^2005-03-01_')"
verify json "$meta" "episode.title=Atom zero three" \
	"episode.guid=tag:old.example,2005:e1" "feed.title=Old Atom Show"
expect_in "$meta" "Escaped & read"
check "transcript saved byte for byte" cmp "$SITE/t/a.vtt" a03/transcripts/*.vtt
finish
