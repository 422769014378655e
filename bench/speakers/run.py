#!/usr/bin/env python3
"""Scores speaker detection on bench/speakers/cases.py.

usage: run.py BINARY [BINARY...]

Each case becomes a feed on disk (file:// URL) with one episode and its
published transcript; each binary runs on it and its metadata is compared
with the case's hosts and guests.  An episode counts as right when both
detected_hosts and detected_guests equal the expected names exactly (order
aside) and every label of the screenplay is one of them.
"""
import json, os, subprocess, sys, tempfile
from xml.sax.saxutils import escape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cases import CASES, HELDOUT, HELDOUT2

TYPES = {"txt": "text/plain", "vtt": "text/vtt", "srt": "application/x-subrip"}


def feed_xml(c):
    persons = "".join('<podcast:person role="%s">%s</podcast:person>' % (r, escape(n))
                      for n, r in c.get("persons", []))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
     xmlns:podcast="https://podcastindex.org/namespace/1.0">
<channel><title>{escape(c["show"])}</title>
<description>{escape(c.get("feed_description", "A podcast."))}</description>
<itunes:author>{escape(c["author"])}</itunes:author>{owner(c)}
<item><title>{escape(c["title"])}</title><guid>ep1</guid>
<description>{escape(c.get("description", ""))}</description>
<pubDate>Mon, 05 Jan 2026 10:00:00 GMT</pubDate>{persons}
<podcast:transcript url="t.{c["ext"]}" type="{TYPES[c["ext"]]}"/></item>
</channel></rss>
"""


def owner(c):
    if "owner" not in c:
        return ""
    return "<itunes:owner><itunes:name>%s</itunes:name></itunes:owner>" % escape(c["owner"])


def screenplay_labels(out):
    tdir = os.path.join(out, "transcripts")
    labels = set()
    for f in os.listdir(tdir):
        if f.endswith(".screenplay.txt"):
            for line in open(os.path.join(tdir, f), encoding="utf-8"):
                head, sep, _ = line.partition(": ")
                if sep and len(head) < 40:
                    labels.add(head)
    return labels


def run_case(binary, c, work):
    d = os.path.join(work, c["name"])
    os.makedirs(d, exist_ok=True)
    open(os.path.join(d, "feed.xml"), "w", encoding="utf-8").write(feed_xml(c))
    open(os.path.join(d, "t." + c["ext"]), "w", encoding="utf-8").write(c["transcript"])
    out = os.path.join(d, "out")
    subprocess.run([binary, "file://" + d + "/feed.xml", "-o", out, "--screenplay", "--force",
                    "--quiet"] + c.get("args", []), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    mdir = os.path.join(out, "metadata")
    meta = json.load(open(os.path.join(mdir, os.listdir(mdir)[0]), encoding="utf-8"))
    got_h = meta["content"].get("detected_hosts") or []
    got_g = meta["content"].get("detected_guests") or []
    names = set(c["hosts"]) | set(c["guests"])
    labels = screenplay_labels(out)
    ok = sorted(got_h) == sorted(c["hosts"]) and sorted(got_g) == sorted(c["guests"])
    ok = ok and labels <= (names | {"SPEAKER 1", "SPEAKER 2"})
    return ok, got_h, got_g, labels


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for binary in sys.argv[1:]:
        for label, cases in (("tuned set", CASES), ("first held-out set", HELDOUT),
                             ("second held-out set", HELDOUT2)):
            right = score(binary, cases)
            print(f"{binary}: {label}: {right} of {len(cases)} episodes "
                  "with hosts and guests exactly right")


def score(binary, cases):
    right = 0
    with tempfile.TemporaryDirectory(prefix="pc_bench_speakers.") as work:
        for c in cases:
            ok, h, g, labels = run_case(os.path.abspath(binary), c, work)
            right += ok
            if not ok:
                print(f"  miss {c['name']}: hosts={h} guests={g} "
                      f"screenplay={sorted(labels)}")
    return right


if __name__ == "__main__":
    main()
