#!/usr/bin/env bash
# --download-media (archive mode): every selected episode's enclosure lands
# in media/, whether or not a transcript is published; downloads resume
# after a drop and appear only when complete; a rerun adds only what is
# missing, also for episodes finished before archive mode was on; an
# episode without a transcript is transcribed from the archived file, which
# is downloaded once.
set -e
. "$TEST_SRCDIR/e2e/feeds/lib.sh"
site_start
cd "$T_WORK"

mkdir -p "$SITE/m"
for i in 1 2 3 4; do
	head -c $((150000 + i * 1000)) /dev/urandom >"$SITE/m/a$i.mp3"
	make_vtt 2 "archived $i" >"$SITE/t$i.vtt"
done
F=$SITE/feed.xml
write_feed() {   # write_feed N: episodes 1..N
	feed_open "$F" "Archive"
	feed_item "$F" --title "Both" --guid b1 --date 2026-07-01 --transcript t1.vtt text/vtt \
		--enclosure m/a1.mp3 audio/mpeg
	feed_item "$F" --title "Audio only" --guid b2 --date 2026-07-02 \
		--enclosure "m/a2.mp3?close_after=60000" audio/mpeg
	feed_item "$F" --title "Text only" --guid b3 --date 2026-07-03 --transcript t3.vtt text/vtt
	[ "$1" -ge 4 ] && feed_item "$F" --title "Later" --guid b4 --date 2026-07-04 \
		--transcript t4.vtt text/vtt --enclosure m/a4.mp3 audio/mpeg
	feed_close "$F"
}
media_of() { ls "$1"/media/*_"$2"_*.mp3 2>/dev/null; }

write_feed 3
run_ps "$SERVER_URL/feed.xml" --output-dir arc --download-media --no-transcribe-missing
expect_status 0
expect_summary episodes=3 transcripts=2 failed=0 skipped=1
check "published transcript kept and its audio archived" cmp "$SITE/m/a1.mp3" "$(media_of arc Both)"
check "audio without a transcript archived" cmp "$SITE/m/a2.mp3" "$(media_of arc Audio_only)"
check "the dropped download was resumed" \
	grep -q '^GET /m/a2.mp3?close_after=60000 bytes=60000- 206$' "$SERVER_LOG"
check "two files in media/, nothing else" test "$(ls arc/media | wc -l)" = 2
check "no .part left" test -z "$(find arc -name '*.part')"
check "transcripts of both published ones" test "$(ls arc/transcripts/*.vtt | wc -l)" = 2
expect_in "$T_WORK/err" "audio archived, not transcribed (transcribe_missing is off)"

# rerun with one more episode: only its files are fetched
write_feed 4
requests_reset
run_ps "$SERVER_URL/feed.xml" --output-dir arc --download-media --no-transcribe-missing
expect_status 0
check "only the new episode's files fetched" \
	test "$(grep -v '^GET /feed.xml ' "$SERVER_LOG" | cut -d' ' -f2 | sort | tr '\n' ' ')" = \
	"/m/a4.mp3 /t4.vtt "
check "new audio archived" cmp "$SITE/m/a4.mp3" "$(media_of arc Later)"

# episodes done before archive mode: their audio is added, nothing redone
write_feed 3
run_ps "$SERVER_URL/feed.xml" --output-dir late --no-transcribe-missing
expect_status 3
check "no media/ without archive mode" test ! -e late/media
requests_reset
run_ps "$SERVER_URL/feed.xml" --output-dir late --download-media --no-transcribe-missing
expect_status 0
check "audio of the episode done before archived" cmp "$SITE/m/a1.mp3" "$(media_of late Both)"
check "no transcript fetched again" test "$(requests_matching '/t[0-9].vtt')" = 0

# transcription uses the archived file: one download for both
flite -voice slt -t "the archive keeps every episode" -o "$SITE/m/speech.wav"
feed_open "$F" "Speech"
feed_item "$F" --title "Spoken" --guid s1 --date 2026-07-05 --enclosure m/speech.wav audio/wav
feed_close "$F"
requests_reset
run_ps "$SERVER_URL/feed.xml" --output-dir speech --download-media
expect_status 0
expect_summary transcripts=1 "transcribed 1" failed=0
check "the audio was downloaded once" test "$(requests_matching '/m/speech.wav')" = 1
check "archived audio kept after transcription" \
	cmp "$SITE/m/speech.wav" "$(ls speech/media/*_Spoken_*.wav)"
check "transcript made from it" grep -qi "archive" speech/transcripts/*_Spoken_*.txt
finish
