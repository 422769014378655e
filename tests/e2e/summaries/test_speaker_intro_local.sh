#!/usr/bin/env bash
# Names from what is said, in a transcript made here from the audio: the feed
# names nobody (its author is a placeholder), the host and the guest
# introduce themselves in flite speech through the real recognizer.
set -e
. "$TEST_SRCDIR/lib/assert.sh"
. "$TEST_SRCDIR/lib/server.sh"
cd "$T_WORK"
mkdir -p site
flite -voice rms -t "Hello and welcome to the radio hour. I'm your host, David Brown. Today I'm joined by Maria Lopez, who repairs old radios." -o site/intro.wav
cat > site/feed.xml <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel><title>Tinker</title><itunes:author>Admin</itunes:author>
<item><title>Repairing old radios</title><guid>l1</guid>
<pubDate>Mon, 05 Jan 2026 10:00:00 GMT</pubDate>
<enclosure url="intro.wav" type="audio/wav"/></item>
</channel></rss>
XML
server_start site
run_ps "$SERVER_URL/feed.xml" -o result --screenplay
expect_status 0
python3 - result <<'PY'
import glob, json, os, sys
out = sys.argv[1]
meta = glob.glob(os.path.join(out, "metadata", "*.metadata.json"))
assert len(meta) == 1, meta
c = json.load(open(meta[0], encoding="utf-8"))["content"]
assert c["transcript_source"] != "direct_download", c["transcript_source"]
text = open(glob.glob(os.path.join(out, "transcripts", "*.txt"))[0], encoding="utf-8").read()
assert c["detected_hosts"] == ["David Brown"], (c["detected_hosts"], text)
assert c["detected_guests"] == ["Maria Lopez"], (c["detected_guests"], text)
assert "Admin" not in [s["name"] for s in c["speakers"]], c["speakers"]
play = open(glob.glob(os.path.join(out, "transcripts", "*.screenplay.txt"))[0],
            encoding="utf-8").read()
assert play.startswith("David Brown: "), play
print("names from the introduction ok")
PY
finish
