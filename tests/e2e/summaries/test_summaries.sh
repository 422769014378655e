#!/usr/bin/env bash
# Speakers, screenplay and summaries through the real binary: a feed whose
# people are known (person tags, author, titles) and whose transcripts carry
# a sponsor read.
set -e
. "$TEST_SRCDIR/lib/assert.sh"
. "$TEST_SRCDIR/lib/server.sh"
cd "$T_WORK"
mkdir -p site
cat > site/feed.xml <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
     xmlns:podcast="https://podcastindex.org/namespace/1.0">
<channel><title>Systems Weekly</title><itunes:author>Acme Media LLC</itunes:author>
<podcast:person role="host">Maya Verbeek</podcast:person>
<item><title>Ep 12: Building Rust Compilers with Jane Doe</title><guid>e12</guid>
<pubDate>Mon, 05 Jan 2026 10:00:00 GMT</pubDate>
<podcast:transcript url="t12.vtt" type="text/vtt"/></item>
<item><title>Dr. Ana Lima on sleep science</title><guid>e11</guid>
<pubDate>Mon, 29 Dec 2025 10:00:00 GMT</pubDate>
<podcast:transcript url="t11.txt" type="text/plain"/></item>
<item><title>Monday Roundup: Episode 10</title><guid>e10</guid>
<pubDate>Mon, 22 Dec 2025 10:00:00 GMT</pubDate>
<podcast:transcript url="t10.srt" type="application/x-subrip"/></item>
</channel></rss>
XML
cat > site/t12.vtt <<'VTT'
WEBVTT

00:00:00.000 --> 00:00:05.000
Welcome to Systems Weekly. Today we talk about compilers written in Rust.

00:00:05.200 --> 00:00:10.000
The borrow checker catches whole classes of memory errors before the program runs.

00:00:12.000 --> 00:00:17.000
This episode is brought to you by Acme Hosting. Use code RUST for twenty percent off.

00:00:17.200 --> 00:00:23.000
Incremental compilation keeps rebuild times short even for very large crates.

00:00:25.000 --> 00:00:30.000
Error messages in the compiler point at the exact span that caused the problem.

00:00:30.500 --> 00:00:36.000
Thanks for listening, and see you next time.
VTT
cat > site/t11.txt <<'TXT'
Sleep shapes memory. During deep sleep the brain replays what it learned during the day.
People who sleep six hours for two weeks perform like people who stayed awake a whole night.
Caffeine late in the day delays deep sleep even when you fall asleep easily.
Go to example dot com slash sleep and use promo code SLEEP for a free trial.
A dark and cool bedroom helps more than most supplements do.
TXT
cat > site/t10.srt <<'SRT'
1
00:00:00,000 --> 00:00:04,000
This week we round up the news from the kernel mailing lists.

2
00:00:04,500 --> 00:00:09,000
A new scheduler patch set reduces latency for interactive tasks.
SRT
server_start site
run_ps "$SERVER_URL/feed.xml" -o result --generate-summaries --screenplay --summary-sentences 2
expect_status 0

python3 - result <<'PY'
import json, glob, sys, os
out = sys.argv[1]
docs = {}
for f in glob.glob(os.path.join(out, "metadata", "*.metadata.json")):
    d = json.load(open(f))
    docs[d["episode"]["guid"]] = d
assert set(docs) == {"e12", "e11", "e10"}, docs.keys()
def people(d, role):
    return [s["name"] for s in d["content"]["speakers"] if s["role"] == role]
for d in docs.values():
    assert people(d, "host") == ["Maya Verbeek"], people(d, "host")
    names = [s["name"] for s in d["content"]["speakers"]]
    for bad in ("Acme Media LLC", "Episode", "Monday", "Systems Weekly"):
        assert bad not in names, (bad, names)
assert people(docs["e12"], "guest") == ["Jane Doe"], people(docs["e12"], "guest")
assert people(docs["e11"], "guest") == ["Dr. Ana Lima"], people(docs["e11"], "guest")
assert people(docs["e10"], "guest") == [], people(docs["e10"], "guest")
# summaries: sentences of the transcript, in order, never a sponsor read
for guid, d in docs.items():
    s = d["summary"]
    assert s and s["provider"] == "textrank", s
    text = s["short_summary"] + " " + " ".join(s["key_points"])
    for sponsor in ("brought to you by", "promo code", "use code"):
        assert sponsor not in text.lower(), (guid, text)
    assert s["transcript_word_count"] >= s["word_count"] > 0, s
assert docs["e12"]["summary"]["transcript_word_count"] > docs["e12"]["summary"]["word_count"]
t12 = open(os.path.join(out, "transcripts", [f for f in os.listdir(os.path.join(out, "transcripts")) if "Rust" in f and f.endswith(".txt") and "screenplay" not in f and "cleaned" not in f][0])).read()
summary = docs["e12"]["summary"]["short_summary"]
sents = [x.strip() for x in summary.replace("? ", ". ").split(". ") if x.strip()]
positions = [t12.find(x.rstrip(".")) for x in sents]
assert all(p >= 0 for p in positions), (sents, t12)
assert positions == sorted(positions), positions
print("metadata checks ok")
PY

# screenplay: host first, turns on pauses longer than the gap
sp=$(ls result/transcripts/*Rust*.screenplay.txt)
check "screenplay starts with the host" grep -q '^Maya Verbeek: Welcome to Systems Weekly' "$sp"
check "second speaker after a pause" grep -q '^Jane Doe: ' "$sp"
check "cleaned transcript has no sponsor read" bash -c "! grep -qi 'use code' result/transcripts/*Rust*.cleaned.txt"

# the summarize subcommand on one file, text and JSON
run_ps summarize site/t11.txt --summary-sentences 2
expect_status 0
expect_not_in "$T_WORK/out" "promo code"
expect_in "$T_WORK/out" "Key points:"
run_ps summarize --format json -o sum.json --summary-sentences 2 site/t12.vtt
expect_status 0
check "summary JSON" python3 -c "import json; d=json.load(open('sum.json')); assert d['provider']=='textrank' and d['key_points']"
check "key points: whole sentences, not in the summary, no thanks" python3 - sum.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for k in d["key_points"]:
    assert k[0].isupper() and k[-1] in ".?!" and len(k.split()) >= 5, k
    assert k not in d["short_summary"] and "Thanks" not in k and "Welcome" not in k, (k, d)
PY
run_ps summarize missing.txt
expect_status 1
expect_in "$T_WORK/err" "missing.txt"
finish
