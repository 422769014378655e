#!/bin/sh
# Speaker-diarization benchmark.  Not part of the test suite.
#
#   bench/diarize/run.sh BUILD_DIR [--no-asr] [--long]
#
# Makes two-voice dialogues and three-voice panels with flite voices (rms,
# slt, awb, kal16), some with an ad read in another voice, by joining one
# WAV per turn with short pauses, so every turn boundary is known.  For each
# it runs our diarizer and prints the diarization error rate (missed speech
# + false alarm + speaker confusion over reference speech time, no collar,
# best one-to-one mapping of voices: the pyannote.metrics definition), the
# number of voices found against the true number, and the time taken.  The
# recognizer (pocketsphinx, 2 threads) runs on the same audio as the
# baseline for the time ratio; --no-asr skips it.  --long also joins all
# the episodes, 3 times over (about 35 minutes), and compares the peak memory
# and time of diarizing it with those of one episode.
#
# Targets: DER <= 8% on two-voice dialogues, <= 12% on three-voice panels,
# diarization time <= 10% of recognition time.
set -eu

[ $# -ge 1 ] || { echo "usage: $0 BUILD_DIR [--no-asr]" >&2; exit 2; }
BUILD=$(cd "$1" && pwd)
ASR=1
LONG=0
for a in "$@"; do
	[ "$a" = "--no-asr" ] && ASR=0
	[ "$a" = "--long" ] && LONG=1
done
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib/lib.sh"
# KEEP=DIR keeps the audio in DIR and reuses it on the next run.
if [ -n "${KEEP:-}" ]; then
	WORK=$KEEP
	mkdir -p "$WORK"
	rm -f "$WORK/sums"
else
	WORK=$(mktemp -d /tmp/diarize_bench.XXXXXX)
	trap 'rm -rf "$WORK"' EXIT
fi

bench_need flite
bench_cc "$WORK/bench" "$HERE/diarize_bench.c"
B="$WORK/bench"
GAPS="0.35,0.6,0.2,0.9,0.4,0.15,0.5,0.25"
NLINES=$(wc -l <"$HERE/lines.txt")
line=0

# make NAME VOICE...   (a VOICE "ad:V" reads the ad in voice V)
make_episode() {
	name=$1
	shift
	if [ -f "$WORK/$name.wav" ]; then line=$((line + $#)); return; fi
	specs=""
	i=0
	for v in "$@"; do
		i=$((i + 1))
		wav="$WORK/${name}_$i.wav"
		case "$v" in
		ad:*)
			v=${v#ad:}
			flite -voice "$v" -f "$HERE/ad.txt" -o "$wav"
			;;
		*)
			text=$(sed -n "$((line % NLINES + 1))p" "$HERE/lines.txt")
			line=$((line + 1))
			flite -voice "$v" -t "$text" -o "$wav"
			;;
		esac
		specs="$specs $v=$wav"
	done
	# shellcheck disable=SC2086
	"$B" mix "$WORK/$name.wav" "$WORK/$name.ref" "$GAPS" $specs
	rm -f "$WORK/${name}"_*.wav
}

printf '%-22s %-8s %6s %7s %6s %6s %6s %5s %7s %7s %7s\n' episode kind audio_s DER% miss% \
	fa% conf% voices diar_s asr_s ratio% | tee "$WORK/table"

run_one() { # name kind hint
	"$B" diarize "$WORK/$1.wav" "$3" >"$WORK/$1.hyp"
	d=$("$B" der "$WORK/$1.ref" "$WORK/$1.hyp")
	s=$(tail -1 "$WORK/$1.hyp")
	dt=$(field "$s" seconds)
	at=-
	ratio=-
	if [ "$ASR" = 1 ]; then
		at=$(field "$("$B" asr "$WORK/$1.wav")" seconds)
		ratio=$(awk "BEGIN { printf \"%.1f\", 100 * $dt / $at }")
	fi
	printf '%-22s %-8s %6s %7s %6s %6s %6s %2s/%-2s %7s %7s %7s\n' "$1" "$2" \
		"$(field "$s" audio)" "$(field "$d" der)" "$(field "$d" missed)" \
		"$(field "$d" fa)" "$(field "$d" confusion)" "$(field "$d" hyp_speakers)" \
		"$(field "$d" ref_speakers)" "$dt" "$at" "$ratio"
	echo "$2 $(field "$d" speech) $(field "$d" error) $(field "$d" hyp_speakers)" \
		"$(field "$d" ref_speakers) $dt $at" >>"$WORK/sums"
}

make_episode dialogue_rms_slt rms slt rms slt rms slt rms rms slt rms slt rms slt slt rms
make_episode dialogue_awb_kal16 awb kal16 awb kal16 kal16 awb kal16 awb kal16 awb awb kal16
make_episode dialogue_slt_awb slt awb slt awb slt slt awb slt awb slt awb awb slt awb
make_episode dialogue_kal16_rms kal16 rms kal16 rms rms kal16 rms kal16 rms kal16 kal16 rms
make_episode panel_rms_slt_awb rms slt awb rms awb slt rms slt awb slt rms awb rms slt awb
make_episode panel_kal16_slt_rms kal16 slt rms slt kal16 rms kal16 rms slt rms kal16 slt
make_episode panel_awb_kal16_slt awb kal16 slt awb slt kal16 awb kal16 slt kal16 awb slt
make_episode dialogue_ad_rms_slt rms slt rms slt ad:awb rms slt rms slt rms slt
make_episode panel_ad_rms_slt_awb rms slt awb rms ad:kal16 slt awb rms slt awb rms
# Back to back: no pause between turns, so changes must be found inside an utterance.
GAPS="0.05"
make_episode tight_dialogue_rms_awb rms awb rms awb awb rms awb rms awb rms rms awb
make_episode tight_panel_slt_kal16_awb slt kal16 awb kal16 slt awb slt kal16 awb slt kal16 awb

for e in dialogue_rms_slt dialogue_awb_kal16 dialogue_slt_awb dialogue_kal16_rms; do
	run_one "$e" 2-voice 2
done
for e in panel_rms_slt_awb panel_kal16_slt_rms panel_awb_kal16_slt; do
	run_one "$e" 3-voice 3
done
run_one dialogue_ad_rms_slt 2+ad 2
run_one panel_ad_rms_slt_awb 3+ad 3
run_one tight_dialogue_rms_awb 2-voice 2
run_one tight_panel_slt_kal16_awb 3-voice 3

echo
awk '{ sp[$1] += $2; er[$1] += $3; n[$1]++; ok[$1] += ($4 == $5);
       d += $6; if ($7 != "-") a += $7 }
     END { for (k in sp) printf "%-8s DER %.2f%% over %.0f s of speech, voice count right in %d of %d\n",
               k, 100 * er[k] / sp[k], sp[k], ok[k], n[k];
           if (a > 0) printf "diarization time / recognition time: %.1f%% (%.2f s / %.2f s)\n",
               100 * d / a, d, a;
           else printf "diarization time: %.2f s\n", d }' "$WORK/sums" | sort
echo "targets: 2-voice DER <= 8%, 3-voice DER <= 12%, time ratio <= 10%"

if [ "$LONG" = 1 ]; then
	all=""
	for r in 1 2 3; do
		for f in "$WORK"/*.wav; do
			case "$f" in */long.wav) continue ;; esac
			all="$all x=$f"
		done
	done
	# shellcheck disable=SC2086
	"$B" mix "$WORK/long.wav" "$WORK/long.ref" 0.5 $all
	mem() { # file -> "peak_kb seconds"
		/usr/bin/time -f "%M" -o "$WORK/rss" "$B" diarize "$1" 0 >"$WORK/mem.hyp"
		echo "$(cat "$WORK/rss") $(field "$(tail -1 "$WORK/mem.hyp")" seconds)" \
			"$(field "$(tail -1 "$WORK/mem.hyp")" audio)"
	}
	set -- $(mem "$WORK/dialogue_rms_slt.wav")
	short_kb=$1 short_s=$2 short_a=$3
	set -- $(mem "$WORK/long.wav")
	echo "memory: $(awk "BEGIN { printf \"%.1f MB for %.0f s, %.1f MB for %.0f s (%.0fx the audio)\", \
		$short_kb / 1024, $short_a, $1 / 1024, $3, $3 / $short_a }")"
	echo "time: $short_s s and $2 s ($(awk "BEGIN { printf \"%.1f\", $2 / $short_s }")x)," \
		"voices found in the long file: $(field "$(tail -1 "$WORK/mem.hyp")" speakers)"
fi
