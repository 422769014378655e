#!/usr/bin/env bash
# A decompression bomb served as audio: gzip of 512 MB of zeros named .wav.
# libavformat would pick a demuxer that inflates it; only audio containers
# are opened, so the episode fails at once with a clear reason while a real
# WAV in the same feed is transcribed.
set -e
. "$TEST_SRCDIR/lib/assert.sh"
. "$TEST_SRCDIR/lib/server.sh"
cd "$T_WORK"
mkdir -p site
head -c $((512 << 20)) /dev/zero | gzip -1 >site/bomb.wav
check "the bomb is small" test "$(wc -c <site/bomb.wav)" -lt $((4 << 20))
flite -voice slt -t "hello from the real episode" -o site/real.wav
cat >site/feed.xml <<'XML'
<rss version="2.0"><channel><title>Bombs</title>
<item><title>Gzip as wav</title><guid>b-gz</guid><pubDate>Mon, 05 Jan 2026 10:00:00 GMT</pubDate>
<enclosure url="bomb.wav" type="audio/wav"/></item>
<item><title>Real wav</title><guid>b-real</guid><pubDate>Sun, 04 Jan 2026 10:00:00 GMT</pubDate>
<enclosure url="real.wav" type="audio/wav"/></item>
</channel></rss>
XML
server_start site

set +e
SECONDS=0
timeout -s KILL 100 "$PODCAST_SCRAPER" "$SERVER_URL/feed.xml" -o result \
	--transcription-workers 1 >"$T_WORK/out" 2>"$T_WORK/err"
T_STATUS=$?
elapsed=$SECONDS
set -e
check "the run ended by itself (after $elapsed s)" test "$T_STATUS" != 137
expect_status 3
expect_in "$T_WORK/err" "episode 'Gzip as wav' (b-gz)"
check "says why, naming the file" grep -qE \
	"Gzip_as_wav_[0-9a-f]{6}\.wav': not an audio container \(its first bytes look like libavformat's '[a-z0-9_,]+'\), refused unread" \
	"$T_WORK/err"
expect_in "$T_WORK/err" "transcribed 1"
check "the real episode transcribed" test -s "$(ls result/transcripts/*_Real_wav_*.txt)"

# The transcribe command says the same.
run_ps transcribe site/bomb.wav
expect_status 1
expect_in "$T_WORK/err" "audio file 'site/bomb.wav': not an audio container"
finish
