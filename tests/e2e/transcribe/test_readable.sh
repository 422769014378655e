#!/usr/bin/env bash
# Readable local transcripts through the real binary: flite speech of a
# punctuated story through the embedded recognizer comes out as sentences
# (capital, end mark, '?' after a question form, the episode's names as
# written, word timings in segments.json), and as subtitle-sized cues.
set -e
. "$TEST_SRCDIR/lib/assert.sh"
cd "$T_WORK"
mkdir -p site

# Readable output: sentences with capitals and end marks, names as the
# episode writes them, subtitle-sized cues.
STORY="Welcome to the bakery hour. My guest today is Priya Nair. What do you bake every morning? \
She will tell us how she hires people, how she plans the work, and how she keeps everyone talking \
through the long and cold winter months. Let us begin with the early days."
# (from a file: flite then pauses between sentences as a reader does)
printf '%s\n' "$STORY" > site/story.txt
flite -voice rms -f site/story.txt -o site/story.wav
run_ps transcribe site/story.wav --speaker-names "Priya Nair" --format json -o story.json
expect_status 0
check "sentences: capitals, end marks, names, questions" python3 - story.json <<'PY'
import json, sys
segs = json.load(open(sys.argv[1]))["segments"]
assert len(segs) >= 4, [s["text"] for s in segs]
aux = {"do", "does", "did", "is", "are", "can"}
for s in segs:
    t, words = s["text"], s["words"]
    assert t[0].isupper() and t[-1] in ".?", t
    assert " ".join(w["w"] for w in words) == t[:-1], s
    assert s["start"] == words[0]["start"] and s["end"] == words[-1]["end"], s
    keys = t.lower().split()
    if keys[0] == "what" and keys[1] in aux:
        assert t.endswith("?"), t
    assert "nair" not in keys or "Nair" in t, t
    assert " i " not in " " + t + " ", t
PY
run_ps transcribe site/story.wav --speaker-names "Priya Nair" --format vtt -o story.vtt
expect_status 0
cue_limits() {	# VTT -> fails when a cue is longer than 7 s, 2 lines or 42 characters
	python3 - "$1" <<'PY'
import html, re, sys
blocks = open(sys.argv[1]).read().split("\n\n")[1:]
secs = lambda s: sum(float(p) * 60 ** k for k, p in enumerate(reversed(s.split(":"))))
assert len(blocks) >= 2, blocks
for b in blocks:
    lines = b.strip("\n").split("\n")
    a, z = [x.strip().split()[0] for x in lines[0].split("-->")]
    text = [html.unescape(re.sub(r"<[^>]*>", "", l)) for l in lines[1:]]
    assert secs(z) - secs(a) <= 7.0005 and 1 <= len(text) <= 2, b
    assert all(len(l) <= 42 for l in text), b
PY
}
check "cues of subtitle size" cue_limits story.vtt
finish
