#!/usr/bin/env bash
# Speaker names on transcripts shaped like published ones, through the real
# binary: header blocks, [00:00] markers, first-name and last-name turn
# labels, WebVTT voices, SRT prefixes, guests named with a particle or a
# title, a placeholder author, names said in the introduction.  Metadata and
# screenplays must carry the full names, and no header word is a speaker.
set -e
. "$TEST_SRCDIR/lib/assert.sh"
. "$TEST_SRCDIR/lib/server.sh"
cd "$T_WORK"
mkdir -p site
cat > site/workshop.xml <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
     xmlns:podcast="https://podcastindex.org/namespace/1.0">
<channel><title>The Workshop Hour</title><itunes:author>Ethan Park</itunes:author>
<item><title>Sourdough at scale (with Priya Nair)</title><guid>a1</guid>
<pubDate>Mon, 05 Jan 2026 10:00:00 GMT</pubDate>
<podcast:transcript url="a1.txt" type="text/plain"/></item>
<item><title>Listening to glaciers with Dr. Amara Okafor</title><guid>a2</guid>
<pubDate>Mon, 12 Jan 2026 10:00:00 GMT</pubDate>
<podcast:transcript url="a2.srt" type="application/x-subrip"/></item>
</channel></rss>
XML
cat > site/a1.txt <<'TXT'
# The Workshop Hour - Sourdough at scale
Podcast: The Workshop Hour
Episode: 41 - Sourdough at scale
Host: Ethan
Guest: Priya

[00:00] Ethan: Welcome back to the Workshop Hour. Today I'm talking to Priya about bread.
[00:06] Priya: Thanks for having me. It's good to be here.
[00:10] Ethan: So how did the bakery start?
[00:14] Priya: With one oven and a lot of stubbornness.
TXT
cat > site/a2.srt <<'SRT'
1
00:00:00,000 --> 00:00:03,000
Ethan: This is the Workshop Hour.

2
00:00:03,500 --> 00:00:06,000
Dr. Okafor: Thanks, Ethan. Glad to be here.

3
00:00:06,500 --> 00:00:10,000
Ethan: What do glaciers sound like?

4
00:00:10,500 --> 00:00:14,000
Okafor: Like a fizzy drink, mostly.
SRT
cat > site/match.xml <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel><title>Match Point</title><itunes:author>Test Author</itunes:author>
<item><title>Reading the opponent</title><guid>b1</guid>
<description>Coach Sophie van Dalen breaks down how to read a serve.</description>
<pubDate>Mon, 05 Jan 2026 10:00:00 GMT</pubDate>
<podcast:transcript xmlns:podcast="https://podcastindex.org/namespace/1.0"
  url="b1.txt" type="text/plain"/></item>
<item><title>Episode 7: cycling to the courts</title><guid>b2</guid>
<pubDate>Mon, 12 Jan 2026 10:00:00 GMT</pubDate>
<podcast:transcript xmlns:podcast="https://podcastindex.org/namespace/1.0"
  url="b2.vtt" type="text/vtt"/></item>
</channel></rss>
XML
cat > site/b1.txt <<'TXT'
Podcast: Match Point
Host: Lotte Jansen

[00:00:01] Lotte: Hi everyone, welcome to Match Point.
[00:00:04] Sophie: Happy to be here, Lotte.
[00:00:07] Lotte: Where do you look when the serve comes?
[00:00:10] Sophie: At the shoulders, never at the ball toss.
TXT
cat > site/b2.vtt <<'VTT'
WEBVTT

00:00:00.000 --> 00:00:04.000
<v Lotte>Welcome to Match Point. I'm your host, Lotte Jansen.

00:00:04.500 --> 00:00:08.000
<v Lotte>I'm joined by Daan de Wit, who cycles to every match.

00:00:08.500 --> 00:00:12.000
<v Daan>Forty kilometres last Sunday.
VTT
server_start site
run_ps "$SERVER_URL/workshop.xml" "$SERVER_URL/match.xml" -o result --screenplay
expect_status 0

python3 - result <<'PY'
import glob, json, os, sys
out = sys.argv[1]
docs, plays = {}, {}
for f in glob.glob(os.path.join(out, "*", "metadata", "*.metadata.json")):
    d = json.load(open(f, encoding="utf-8"))
    guid = d["episode"]["guid"]
    docs[guid] = d
    tdir = os.path.join(os.path.dirname(os.path.dirname(f)), "transcripts")
    stem = os.path.basename(f)[: -len(".metadata.json")]
    plays[guid] = open(os.path.join(tdir, stem + ".screenplay.txt"), encoding="utf-8").read()
want = {
    "a1": (["Ethan Park"], ["Priya Nair"]),
    "a2": (["Ethan Park"], ["Dr. Amara Okafor"]),
    "b1": (["Lotte Jansen"], ["Sophie van Dalen"]),
    "b2": (["Lotte Jansen"], ["Daan de Wit"]),
}
assert set(docs) == set(want), sorted(docs)
for guid, (hosts, guests) in want.items():
    c = docs[guid]["content"]
    assert c["detected_hosts"] == hosts, (guid, c["detected_hosts"])
    assert c["detected_guests"] == guests, (guid, c["detected_guests"])
    names = [s["name"] for s in c["speakers"]]
    assert names == hosts + guests, (guid, names)
    labels = {l.split(": ", 1)[0] for l in plays[guid].splitlines() if ": " in l}
    assert labels == set(hosts + guests), (guid, labels, plays[guid])
    for word in ("Podcast", "Episode", "Host", "Guest", "Test Author", "[00:00]"):
        assert not any(word in n for n in names), (guid, word, names)
        assert word + ":" not in plays[guid], (guid, word, plays[guid])
first = plays["a1"].splitlines()[0]
assert first.startswith("Ethan Park: Welcome back to the Workshop Hour."), first
print("speaker names ok")
PY
check "the published text is kept byte for byte" \
	cmp site/a1.txt result/*/transcripts/*Sourdough*_*[0-9a-f].txt
finish
