#!/bin/sh
# Speech-recognition benchmark: our pocketsphinx engine against
# pocketsphinx_continuous on the same audio.  Not part of the test suite.
#
#   bench/asr/run.sh BUILD_DIR [--long]
#
# Makes ~2.5 minutes of speech with flite from texts/*.txt (voice from the
# file name: rms, awb, slt, kal), transcribes it with both, and prints word
# error rates, real-time factors (wall time / audio time; our time includes
# loading the models) and their ratio.  --long also makes a 60-minute file
# (the short one repeated) and reports our speed and peak memory on it.
# WORKERS (default 2) sets our decoder threads.  On a shared machine the
# times are noisy: run it twice.
set -eu

[ $# -ge 1 ] || { echo "usage: $0 BUILD_DIR [--long]" >&2; exit 2; }
BUILD=$(cd "$1" && pwd)
LONG=0
[ "${2:-}" = "--long" ] && LONG=1
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORKERS=${WORKERS:-2}
WORK=$(mktemp -d /tmp/asr_bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

for tool in flite pocketsphinx_continuous cc pkg-config; do
	command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done
[ -f "$BUILD/libpodcast.a" ] || { echo "build $BUILD first (ninja -C $BUILD)" >&2; exit 1; }

# The bench helper links against the library of the given build.
extra=""
# shellcheck disable=SC2046
cc -O2 -std=gnu11 -D_GNU_SOURCE -I"$ROOT/src" \
	-I/usr/include/x86_64-linux-gnu/sphinxbase \
	"$HERE/asr_bench.c" $extra "$BUILD/libpodcast.a" \
	$(pkg-config --cflags --libs libavformat libavcodec libswresample \
		libavfilter libavutil pocketsphinx sphinxbase jansson libcurl \
		libxml-2.0 yaml-0.1 sqlite3 libcrypto) \
	-lflite_cmulex -lflite -lm -lpthread -o "$WORK/asr_bench"
B="$WORK/asr_bench"

# Speech with known words.
wavs=""
: >"$WORK/ref.txt"
for t in "$HERE"/texts/*.txt; do
	name=$(basename "$t" .txt)
	voice=${name#*_}
	[ "$voice" = kal ] && voice=kal16      # kal itself is 8 kHz
	flite -voice "$voice" -f "$t" -o "$WORK/$name.wav"
	wavs="$wavs $WORK/$name.wav"
	cat "$t" >>"$WORK/ref.txt"
done
# shellcheck disable=SC2086
"$B" concat "$WORK/short.wav" 0.8 $wavs

now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

run_ours() { # file workers hyp -> prints stats line
	"$B" transcribe "$1" -w "$2" -o "$3"
}
field() { # line key
	echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

echo "== short file: $(calc '%.1f' "$(stat -c %s "$WORK/short.wav") / 32000") s of speech from 4 flite voices"

t0=$(now)
/usr/bin/time -f "%M %U %S" -o "$WORK/base.rss" \
	pocketsphinx_continuous -infile "$WORK/short.wav" -logfn /dev/null >"$WORK/base.txt"
t1=$(now)
base_wall=$(calc '%.2f' "$t1 - $t0")
set -- $(cat "$WORK/base.rss")
base_rss=$(calc '%.0f' "$1 / 1024")
base_cpu=$(calc '%.2f' "$2 + $3")
base_wer=$("$B" wer "$WORK/ref.txt" "$WORK/base.txt")

ours=$(run_ours "$WORK/short.wav" "$WORKERS" "$WORK/ours.txt")
ours_wer=$("$B" wer "$WORK/ref.txt" "$WORK/ours.txt")
ours1=$(run_ours "$WORK/short.wav" 1 "$WORK/ours1.txt")
ours1_wer=$("$B" wer "$WORK/ref.txt" "$WORK/ours1.txt")
audio=$(field "$ours" audio_s)

printf '%-26s %8s %8s %8s %8s %8s\n' "" "wall s" "RTF" "CPU s" "WER %" "RSS MB"
printf '%-26s %8s %8s %8s %8s %8s\n' "pocketsphinx_continuous" "$base_wall" \
	"$(calc '%.3f' "$base_wall / $audio")" "$base_cpu" "$base_wer" "$base_rss"
printf '%-26s %8s %8s %8s %8s %8s\n' "ours, 1 worker" "$(field "$ours1" wall_s)" \
	"$(field "$ours1" rtf)" "$(field "$ours1" cpu_s)" "$ours1_wer" "$(field "$ours1" peak_rss_mb)"
printf '%-26s %8s %8s %8s %8s %8s\n' "ours, $WORKERS workers" "$(field "$ours" wall_s)" \
	"$(field "$ours" rtf)" "$(field "$ours" cpu_s)" "$ours_wer" "$(field "$ours" peak_rss_mb)"
echo "speed vs baseline: 1 worker $(calc '%.2f' "$base_wall / $(field "$ours1" wall_s)")x," \
	"$WORKERS workers $(calc '%.2f' "$base_wall / $(field "$ours" wall_s)")x" \
	"(target >= 1.7x on 2 cores)"
echo "CPU per audio second: baseline $(calc '%.3f' "$base_cpu / $audio")," \
	"ours $(calc '%.3f' "$(field "$ours" cpu_s) / $audio") (wall-clock ratios need idle cores)"
echo "WER difference (ours - baseline): $(calc '%+.1f' "$ours_wer - $base_wer") points" \
	"(target <= 0)"
echo "ours: $ours"

if [ "$LONG" = 1 ]; then
	"$B" repeat "$WORK/long.wav" 60 "$WORK/short.wav"
	rm -f "$WORK"/[0-9]_*.wav
	echo "== 60-minute file (the short one repeated)"
	long=$(run_ours "$WORK/long.wav" "$WORKERS" "$WORK/long.txt")
	echo "ours: $long"
	echo "peak memory: $(field "$long" peak_rss_mb) MB (target < 250 MB)," \
		"RTF $(field "$long" rtf)"
fi
