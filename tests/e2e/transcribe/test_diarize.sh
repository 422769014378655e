#!/usr/bin/env bash
# Speaker diarization through the real binary: dialogues of two flite voices
# (rms is the host, slt the guest) joined with known turns, transcribed by
# the transcribe command, by the pipeline, and by the remote engine against
# the loopback test server; a monologue stays one voice.
set -e
. "$TEST_SRCDIR/lib/assert.sh"
. "$TEST_SRCDIR/lib/server.sh"
cd "$T_WORK"
mkdir -p site

# join OUT GAP IN... : WAV files joined with GAP seconds of silence
join_wavs() {
	python3 - "$@" <<'PY'
import sys, wave
out, gap, ins = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
w = wave.open(out, "wb")
for i, name in enumerate(ins):
    r = wave.open(name, "rb")
    if i == 0:
        w.setparams(r.getparams())
        w.writeframes(b"\0\0" * int(0.5 * r.getframerate()))
    w.writeframes(r.readframes(r.getnframes()))
    w.writeframes(b"\0\0" * int(gap * r.getframerate()))
w.close()
PY
}

flite -voice rms -t "welcome to the show, today we talk about rivers and the farms beside them." -o t1.wav
flite -voice slt -t "thanks for having me, it is a pleasure to be here with you this morning." -o t2.wav
flite -voice rms -t "so tell me what changed when the rain stopped coming in june." -o t3.wav
flite -voice slt -t "we had to decide which fields to water and which ones to let go." -o t4.wav
flite -voice rms -t "that sounds like a hard choice for every family in the valley." -o t5.wav
join_wavs site/dialogue.wav 0.5 t1.wav t2.wav t3.wav t4.wav t5.wav
flite -voice rms -t "today i will talk about rivers on my own." -o m1.wav
flite -voice rms -t "the farms beside them had a hard summer, and the towns did too." -o m2.wav
flite -voice rms -t "we will look at the numbers next week, with the maps." -o m3.wav
join_wavs site/monologue.wav 1.0 t1.wav m1.wav t3.wav m2.wav t5.wav m3.wav

# transcribe --screenplay: turns follow the voices, named host first.
run_ps transcribe --screenplay --speaker-names "Jane Doe" --speaker-names "Maya Verbeek" \
	site/dialogue.wav -o play.txt
expect_status 0
python3 - play.txt <<'PY'
import sys
lines = [l for l in open(sys.argv[1]).read().splitlines() if l.strip()]
who = [l.split(":", 1)[0] for l in lines]
assert who == ["Jane Doe", "Maya Verbeek", "Jane Doe", "Maya Verbeek", "Jane Doe"], lines
keys = ["welcome", "thanks", "rain", "decide", "valley"]
for l, k in zip(lines, keys):
    assert k in l.lower(), (k, l)
PY

# --format json: every segment has a speaker, two voices.
run_ps transcribe --screenplay --format json site/dialogue.wav -o dialogue.json
expect_status 0
python3 - dialogue.json <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["segments"]
assert s and all(x["speaker"] for x in s), s
assert len({x["speaker"] for x in s}) == 2, s
assert s[0]["speaker"] == "SPEAKER_0", s[0]
PY

# A monologue is one voice.
run_ps transcribe --format json site/monologue.wav -o mono.json
expect_status 0
python3 - mono.json <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["segments"]
assert len(s) >= 4 and {x["speaker"] for x in s} == {"SPEAKER_0"}, s
PY


# The pipeline: names from the feed, screenplay, VTT voices, metadata.
cat > site/feed.xml <<'XML'
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>
<title>River Talk</title><itunes:author>Jane Doe</itunes:author>
<item><title>Dry summers with Maya Verbeek</title><guid>d1</guid><pubDate>Mon, 05 Jan 2026 10:00:00 GMT</pubDate>
<enclosure url="dialogue.wav" type="audio/wav"/></item>
</channel></rss>
XML
server_start site

# --no-diarization: no speakers (the remote engine, for speed).
run_ps transcribe --no-diarization --format json --transcription-provider openai \
	--openai-api-base "$SERVER_URL/v1" site/dialogue.wav -o plain.json
expect_status 0
check "no speakers with diarization off" python3 -c \
	"import json; s=json.load(open('plain.json'))['segments']; assert s and not any(x['speaker'] for x in s)"

run_ps "$SERVER_URL/feed.xml" -o result --screenplay
expect_status 0
play=$(ls result/transcripts/*.screenplay.txt 2>/dev/null || ls result/*/*screenplay* | head -1)
python3 - "$play" <<'PY'
import sys
lines = [l for l in open(sys.argv[1]).read().splitlines() if l.strip()]
who = [l.split(":", 1)[0] for l in lines]
assert who == ["Jane Doe", "Maya Verbeek", "Jane Doe", "Maya Verbeek", "Jane Doe"], lines
PY
check "VTT voices carry the names" grep -q '<v Maya Verbeek>' result/transcripts/*.vtt
python3 - result <<'PY'
import json, glob, sys
seg = json.load(open(glob.glob(sys.argv[1] + "/transcripts/*.segments.json")[0]))["segments"]
assert {x["speaker"] for x in seg} == {"Jane Doe", "Maya Verbeek"}, seg
d = json.load(open(glob.glob(sys.argv[1] + "/metadata/*.json")[0]))["content"]["diarization"]
assert d["method"] and d["voices"] == 2, d
by = d["seconds_by_speaker"]
assert set(by) == {"Jane Doe", "Maya Verbeek"}, by
assert by["Jane Doe"] > by["Maya Verbeek"] > 5, by
PY

# The remote engine's segments are diarized from the same audio.
run_ps "$SERVER_URL/feed.xml" -o remote --transcription-provider openai \
	--openai-api-base "$SERVER_URL/v1"
expect_status 0
python3 - remote <<'PY'
import json, glob, sys
seg = json.load(open(glob.glob(sys.argv[1] + "/transcripts/*.segments.json")[0]))["segments"]
assert all(x["speaker"] for x in seg), seg
assert {x["speaker"] for x in seg} == {"Jane Doe", "Maya Verbeek"}, seg
d = json.load(open(glob.glob(sys.argv[1] + "/metadata/*.json")[0]))["content"]["diarization"]
assert d["voices"] == 2, d
PY
finish
