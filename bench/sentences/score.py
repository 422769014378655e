#!/usr/bin/env python3
"""Sentence-end precision and recall of recognized segments against the
punctuated text the speech was made from.

    score.py REF.txt HYP.segments.json [VTT]

The reference's sentence ends are the words followed by '.', '?' or '!'.
Recognized words are aligned to the reference words first (Levenshtein,
lower case, letters and apostrophes only); a recognized sentence end after
hypothesis word j is placed in the reference after the reference words the
alignment has consumed before hypothesis word j+1, and counts when a
reference sentence ends there.  The text's final end is left out (it is no
decision).  Prints one line of counts: tp fp fn starts capped_starts
cues cues_over_limits.
"""
import html, json, re, sys

def ref_words(path):
    text = open(path).read()
    if text.startswith("names:"):
        text = text.split("\n", 1)[1]
    words, ends = [], []
    for tok in text.split():
        w = re.sub(r"[^a-z']", "", tok.lower())
        if not w:
            continue
        words.append(w)
        ends.append(tok.rstrip("\"')").endswith((".", "?", "!")))
    return words, ends

def align(ref, hyp):
    """Edit-distance alignment: list of (i, j) with None for gaps."""
    n, m = len(ref), len(hyp)
    d = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        d[i][0] = i
    for j in range(m + 1):
        d[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            d[i][j] = min(d[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]),
                          d[i - 1][j] + 1, d[i][j - 1] + 1)
    i, j, path = n, m, []
    while i or j:
        if i and j and d[i][j] == d[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]):
            path.append((i - 1, j - 1)); i -= 1; j -= 1
        elif i and d[i][j] == d[i - 1][j] + 1:
            path.append((i - 1, None)); i -= 1
        else:
            path.append((None, j - 1)); j -= 1
    return path[::-1]

def main():
    ref, ref_end = ref_words(sys.argv[1])
    segs = json.load(open(sys.argv[2]))["segments"]
    hyp, hyp_end = [], []
    starts = capped = 0
    for s in segs:
        ws = [re.sub(r"[^a-z']", "", w["w"].lower()) for w in s.get("words", [])]
        ws = [w for w in ws if w]
        if not ws:
            continue
        starts += 1
        capped += s["text"][:1].isupper()
        hyp += ws
        hyp_end += [False] * (len(ws) - 1) + [True]
    path = align(ref, hyp)
    # reference words consumed before each hypothesis word
    consumed, before = 0, {}
    for i, j in path:
        if j is not None:
            before[j] = consumed
        if i is not None:
            consumed += 1
    place = lambda j: before[j + 1] if j + 1 < len(hyp) else len(ref)
    ref_at = {i + 1 for i, e in enumerate(ref_end) if e and i + 1 < len(ref)}
    hyp_at = {place(j) for j, e in enumerate(hyp_end) if e and j + 1 < len(hyp)}
    tp = len(ref_at & hyp_at)
    cues = over = 0
    if len(sys.argv) > 3:
        cues, over = cue_limits(sys.argv[3])
    print(tp, len(hyp_at) - tp, len(ref_at) - tp, starts, capped, cues, over)

def cue_limits(path):
    """VTT cues and how many break the limits: 7 s, 2 lines, 42 characters."""
    blocks = open(path).read().split("\n\n")[1:]
    cues = over = 0
    for b in blocks:
        lines = b.strip("\n").split("\n")
        t = [l for l in lines if "-->" in l]
        if not t:
            continue
        cues += 1
        a, z = [x.strip().split()[0] for x in t[0].split("-->")]
        secs = lambda s: sum(float(p) * 60 ** k for k, p in enumerate(reversed(s.split(":"))))
        text = [html.unescape(re.sub(r"<[^>]*>", "", l)) for l in lines[lines.index(t[0]) + 1:]]
        if secs(z) - secs(a) > 7.0005 or len(text) > 2 or any(len(l) > 42 for l in text):
            over += 1
    return cues, over

main()
