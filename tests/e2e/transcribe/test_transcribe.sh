#!/usr/bin/env bash
# Local transcription through the real binary: flite speech (whose words we
# know) in MP3, M4A, OGG and WAV, through the transcribe command and through
# the pipeline (feed -> media download -> decode -> recognize -> metadata);
# broken audio fails with a clear error naming the episode and the file.
set -e
. "$TEST_SRCDIR/lib/assert.sh"
. "$TEST_SRCDIR/lib/server.sh"
cd "$T_WORK"
TEXT="the quick brown fox jumps over the lazy dog near the river bank"

# A loose word error bound that a broken recognizer cannot pass.
words_found() {	# FILE -> share of TEXT's words present, as a percentage
	python3 - "$1" "$TEXT" <<'PY'
import re, sys
hyp = set(re.findall(r"[a-z']+", open(sys.argv[1]).read().lower()))
ref = sys.argv[2].split()
print(int(100 * sum(w in hyp for w in ref) / len(ref)))
PY
}

mkdir -p site
flite -voice slt -t "$TEXT" -o site/fox.wav
"$ENCODE_AUDIO" site/fox.wav site/fox.mp3 libmp3lame mp3
"$ENCODE_AUDIO" site/fox.wav site/fox.m4a aac ipod
"$ENCODE_AUDIO" site/fox.wav site/fox.ogg libvorbis ogg

for f in wav mp3; do
	run_ps transcribe "site/fox.$f" -o "fox_$f.txt"
	expect_status 0
	pct=$(words_found "fox_$f.txt")
	check "$f: at least 70% of the words recognized (got $pct%)" test "$pct" -ge 70
done
run_ps transcribe site/fox.wav --format vtt
expect_status 0
check "VTT output" grep -q '^WEBVTT' "$T_WORK/out"
check "VTT cue" grep -qE '^00:00:0[0-9]\.[0-9]{3} --> ' "$T_WORK/out"
run_ps transcribe site/fox.wav --format json -o fox.json
check "segments JSON" python3 -c "import json; s=json.load(open('fox.json'))['segments']; assert s and s[0]['end'] > s[0]['start'] >= 0"
check "words with their times in the segments" python3 - fox.json "$TEXT" <<'PY'
import json, sys
segs = json.load(open(sys.argv[1]))["segments"]
words = [w for s in segs for w in s["words"]]
assert len(words) >= len(sys.argv[2].split()) * 0.7, words
for s in segs:
    assert " ".join(w["w"] for w in s["words"]) + s["text"][-1] == s["text"], s
    assert s["text"][0].isupper() and s["text"][-1] in ".?", s
    for w in s["words"]:
        assert s["start"] - 1e-3 <= w["start"] <= w["end"] <= s["end"] + 1e-3, (s, w)
assert all(a["end"] <= b["start"] + 1e-3 for a, b in zip(words, words[1:])), words
PY
run_ps transcribe --format doc site/fox.wav
expect_status 2
printf 'not audio at all\n' > site/notes.mp3
run_ps transcribe site/notes.mp3
expect_status 1
expect_in "$T_WORK/err" "site/notes.mp3"

# The pipeline: four audio-only episodes, one broken, one truncated.
head -c 6000 site/fox.mp3 > site/cut.mp3
cat > site/feed.xml <<'XML'
<rss version="2.0"><channel><title>Audio Show</title>
<item><title>MP3 episode</title><guid>a-mp3</guid><pubDate>Mon, 05 Jan 2026 10:00:00 GMT</pubDate>
<enclosure url="fox.mp3" type="audio/mpeg"/></item>
<item><title>M4A episode</title><guid>a-m4a</guid><pubDate>Tue, 06 Jan 2026 10:00:00 GMT</pubDate>
<enclosure url="fox.m4a" type="audio/mp4"/></item>
<item><title>OGG episode</title><guid>a-ogg</guid><pubDate>Wed, 07 Jan 2026 10:00:00 GMT</pubDate>
<enclosure url="fox.ogg" type="audio/ogg"/></item>
<item><title>Text served as audio</title><guid>a-txt</guid><pubDate>Thu, 08 Jan 2026 10:00:00 GMT</pubDate>
<enclosure url="notes.mp3" type="audio/mpeg"/></item>
<item><title>Truncated MP3</title><guid>a-cut</guid><pubDate>Fri, 09 Jan 2026 10:00:00 GMT</pubDate>
<enclosure url="cut.mp3" type="audio/mpeg"/></item>
</channel></rss>
XML
server_start site
run_ps "$SERVER_URL/feed.xml" -o result --transcription-workers 2
expect_status 3
expect_in "$T_WORK/err" "episode 'Text served as audio' (a-txt)"
check "says the file is not audio" grep -qE "Text_served_as_audio_[0-9a-f]{6}\.mp3': (cannot open it as audio|no audio stream)" "$T_WORK/err"
expect_in "$T_WORK/err" "transcribed 4"
for e in MP3 M4A OGG; do
	txt=$(ls result/transcripts/*_"$e"_episode_*.txt)
	pct=$(words_found "$txt")
	check "$e via the pipeline: at least 70% of the words (got $pct%)" test "$pct" -ge 70
	check "$e: VTT and SRT made from the segments" \
		test -s "${txt%.txt}.vtt" -a -s "${txt%.txt}.srt" -a -s "${txt%.txt}.segments.json"
	check "$e: text starts with a capital and ends a sentence" \
		python3 -c "import sys; t=open(sys.argv[1]).read().strip(); assert t[0].isupper() and t[-1] in '.?', t" "$txt"
	check "$e: words in the segments" python3 -c "import json,sys; s=json.load(open(sys.argv[1]))['segments']; assert s and all(x['words'] for x in s)" "${txt%.txt}.segments.json"
done
python3 - result <<'PY'
import json, glob, sys
docs = {json.load(open(f))["episode"]["guid"]: json.load(open(f))
        for f in glob.glob(sys.argv[1] + "/metadata/*.json")}
assert set(docs) == {"a-mp3", "a-m4a", "a-ogg", "a-cut"}, docs.keys()
for d in docs.values():
    c = d["content"]
    assert c["transcript_source"] == "whisper_transcription", c
    assert c["asr_engine"] == "pocketsphinx", c
    assert c["whisper_model"] == c["asr_model"] and c["whisper_model"], c
    assert d["processing"]["stage_timings"]["transcribe"] > 0, d["processing"]
index = json.load(open(glob.glob(sys.argv[1] + "/runs/*/index.json")[0]))["episodes"]
bad = [r for r in index if r["status"] == "failed"]
assert [r["episode_id"] for r in bad] == ["a-txt"], bad
assert bad[0]["error_stage"] == "transcribe" and "Text_served_as_audio" in bad[0]["error_message"], bad
print("pipeline metadata ok")
PY
check "transcribed metadata fits the Python model" python3 \
	"$TEST_SRCDIR/e2e/feeds/python_schema.py" metadata result/metadata/*.json
check "no media left behind without --keep-media" test -z "$(find result -name '*.mp3' -o -name '*.m4a' -o -name '*.ogg')"

# --keep-media: the audio stays under media/ and is still transcribed.
run_ps "$SERVER_URL/feed.xml" -o kept --keep-media --max-episodes 1
expect_status 0
check "media kept" cmp site/fox.mp3 kept/media/*_MP3_episode_*.mp3
check "and transcribed" test -s "$(ls kept/transcripts/*_MP3_episode_*.txt)"
finish
