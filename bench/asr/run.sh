#!/bin/sh
# Speech-recognition benchmark: our pocketsphinx engine against
# pocketsphinx_continuous on the same audio.  Not part of the test suite.
#
#   bench/asr/run.sh BUILD_DIR [--long] [--half tune|test|both]
#
# Speech: shows/<show>/{tune,test}_N.txt, one "voice: text" line per turn,
# spoken by flite (2- and 3-voice dialogues are several voices in one file),
# plus the human LibriVox clips of the package pocketsphinx-testdata (test
# half).  The tune half (voices rms, slt, rms_low) is what decoder settings
# were chosen on; the test half has other texts and other voices (awb, kal,
# kal16, slt_fast, the human reader) and is only measured.
#
# Show text: for each file, the show's about.txt (feed and episode titles and
# descriptions) and the texts of the show's other files (its "published
# transcripts"), never the file's own text.
#
# Prints word error rates per voice and their mean, for
# pocketsphinx_continuous, ours without show text and ours with it, and CPU
# seconds per audio second (same run; wall time needs idle cores).
#   WORKERS (default 2)      our decoder threads
#   DECODER="-flag value .." extra decoder flags (for tuning)
#   WEIGHT                   share of the show language model
#   VAD="name=value .."      utterance-cutting settings (for tuning; names
#                            in bench/asr/asr_bench.c)
#   WORK=DIR                 keep speech and baseline results there (reused)
#   MODES="base plain show"  which systems to run (also plain2, show2: two
#                            passes, see asr_options.passes)
# --long also makes a 60-minute file and reports our speed and peak memory.
set -eu

[ $# -ge 1 ] || { echo "usage: $0 BUILD_DIR [--long] [--half tune|test|both]" >&2; exit 2; }
BUILD=$(cd "$1" && pwd)
shift
LONG=0
HALF=both
while [ $# -gt 0 ]; do
	case $1 in
	--long) LONG=1 ;;
	--half) HALF=$2; shift ;;
	*) echo "unknown argument: $1" >&2; exit 2 ;;
	esac
	shift
done
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib/lib.sh"
WORKERS=${WORKERS:-2}
DECODER=${DECODER:-}
WEIGHT=${WEIGHT:-0}
VAD=${VAD:-}
MODES=${MODES:-base plain show}
LIBRIVOX=/usr/share/pocketsphinx/test/data/librivox
if [ -n "${WORK:-}" ]; then
	mkdir -p "$WORK"
else
	WORK=$(mktemp -d /tmp/asr_bench.XXXXXX)
	trap 'rm -rf "$WORK"' EXIT
fi

for tool in flite pocketsphinx_continuous cc pkg-config; do
	command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done

# The bench helper links against the library of the given build.
bench_cc "$WORK/asr_bench" "$HERE/asr_bench.c"
B="$WORK/asr_bench"

# flite voices; the _low/_fast ones change pitch and speaking rate.
say() { # voice text out.wav
	case $1 in
	rms_low) flite -voice rms --setf int_f0_target_mean=80 --setf duration_stretch=1.15 \
		-t "$2" -o "$3" ;;
	slt_fast) flite -voice slt --setf int_f0_target_mean=215 --setf duration_stretch=0.85 \
		-t "$2" -o "$3" ;;
	*) flite -voice "$1" -t "$2" -o "$3" ;;
	esac
}

# Lines of "voice: text" -> WORK/ID.wav (16 kHz), ID.ref, ID.label.
make_item() { # text_file id
	parts=""
	n=0
	: >"$WORK/$2.ref"
	voices=""
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		v=${line%%:*}
		t=${line#*: }
		n=$((n + 1))
		say "$v" "$t" "$WORK/$2.part$n.wav"
		parts="$parts $WORK/$2.part$n.wav"
		echo "$t" >>"$WORK/$2.ref"
		case " $voices " in *" $v "*) ;; *) voices="$voices $v" ;; esac
	done <"$1"
	# shellcheck disable=SC2086
	"$B" concat "$WORK/$2.wav" 0.5 $parts
	rm -f "$WORK/$2".part*.wav
	set -- $voices
	if [ $# -gt 1 ]; then echo "dialogue$#"; else echo "$1"; fi >"$WORK/${id}.label"
}

# The show's text for an item: about.txt and its other items' words.
make_context() { # show_dir item_file id
	[ -f "$1/about.txt" ] || { echo "-"; return; }
	cat "$1/about.txt" >"$WORK/$3.ctx"
	for other in "$1"/*_*.txt; do
		[ "$other" = "$2" ] || sed 's/^[a-z_0-9]*: //' "$other" >>"$WORK/$3.ctx"
	done
	echo "$WORK/$3.ctx"
}

make_librivox() {
	[ -d "$LIBRIVOX" ] || return 1
	# shellcheck disable=SC2046
	"$B" concat "$WORK/test_human.wav" 0.8 $(sed "s|.*|$LIBRIVOX/&.wav|" "$LIBRIVOX/fileids")
	sed 's/<s>//; s/<\/s>.*//' "$LIBRIVOX/transcription" >"$WORK/test_human.ref"
	echo human >"$WORK/test_human.label"
	echo "$WORK/test_human.wav - $WORK/test_human" >>"$WORK/test.list"
}

: >"$WORK/tune.list"
: >"$WORK/test.list"
for f in "$HERE"/shows/*/*_*.txt; do
	show=$(basename "$(dirname "$f")")
	half=$(basename "$f" .txt)
	id="${half%%_*}_${show}_${half#*_}"
	[ -f "$WORK/$id.wav" ] || make_item "$f" "$id"
	ctx=$(make_context "$(dirname "$f")" "$f" "$id")
	echo "$WORK/$id.wav $ctx $WORK/$id" >>"$WORK/${half%%_*}.list"
done
if ! make_librivox; then
	echo "note: pocketsphinx-testdata is not installed: no human speech in the test half"
fi

halves="tune test"
[ "$HALF" = both ] || halves=$HALF

run_base() { # list
	while read -r wav ctx out; do
		[ -f "$out.base" ] && continue
		/usr/bin/time -f "%U %S" -o "$out.base.cpu" \
			pocketsphinx_continuous -infile "$wav" -logfn /dev/null >"$out.base"
	done <"$1"
	awk '{ s += $1 + $2 } END { printf "%.2f", s }' \
		$(awk '{ print $3 ".base.cpu" }' "$1")
}

run_ours() { # list mode -> stats line
	while read -r wav ctx out; do
		[ "$2" = plain ] || [ "$2" = plain2 ] && ctx=-
		echo "$wav $ctx $out.$2"
	done <"$1" >"$1.$2"
	# shellcheck disable=SC2086
	passes=1
	case $2 in *2) passes=2 ;; esac
	"$B" batch "$1.$2" -w "$WORKERS" -W "$WEIGHT" -p "$passes" \
		$(echo $DECODER | awk '{ for (i = 1; i < NF; i += 2) printf "-x %s %s ", $i, $(i + 1) }') \
		$(for v in $VAD; do printf -- '-v %s ' "$v"; done)
}

# Per-label error rates and their mean for one system's outputs.
report() { # list suffix name
	while read -r wav ctx out; do
		echo "$(cat "$out.label") $("$B" errors "$out.ref" "$out.$2")"
	done <"$1" | sort -k1,1 | awk -v name="$3" '
		!($1 in e) { labels[++k] = $1 }
		{ e[$1] += $2; n[$1] += $3; E += $2; N += $3 }
		END {
			line = sprintf("%-22s", name); sum = 0
			for (i = 1; i <= k; i++) {
				w = 100 * e[labels[i]] / n[labels[i]]; sum += w
				head = head sprintf(" %9s", labels[i]); line = line sprintf(" %9.1f", w)
			}
			printf "%-22s%s %9s %9s\n%s %9.1f %9.1f\n", "WER %", head, "mean", "pooled",
				line, sum / k, 100 * E / N
		}' | { read -r h; [ "${HEADER:-1}" = 1 ] && echo "$h"; read -r l; echo "$l"; }
}

mean_of() { echo "$1" | awk '{ print $(NF - 1) }'; }

for half in $halves; do
	list="$WORK/$half.list"
	audio=0
	for w in $(awk '{ print $1 }' "$list"); do
		audio=$(calc '%.1f' "$audio + $(stat -c %s "$w") / 32000")
	done
	echo "== $half half: $(wc -l <"$list") files, $audio s of speech"
	HEADER=1
	for m in $MODES; do
		case $m in
		base)
			cpu=$(run_base "$list")
			r=$(HEADER=$HEADER report "$list" base pocketsphinx_continuous)
			echo "$r"
			echo "   CPU s per audio s: $(calc '%.3f' "$cpu / $audio")"
			base_mean=$(mean_of "$(echo "$r" | tail -1)") ;;
		plain|show|plain2|show2)
			s=$(run_ours "$list" "$m")
			case $m in
			plain) name="ours" ;;
			show) name="ours + show text" ;;
			plain2) name="ours, 2 passes" ;;
			show2) name="ours + show, 2 passes" ;;
			esac
			r=$(HEADER=$HEADER report "$list" "$m" "$name")
			echo "$r"
			echo "   CPU s per audio s: $(calc '%.3f' "$(field "$s" cpu_s) / $audio")," \
				"wall $(field "$s" wall_s) s with $WORKERS decoders," \
				"context $(field "$s" context_s) s, peak RSS $(field "$s" peak_rss_mb) MB"
			if [ -n "${base_mean:-}" ]; then
				echo "   mean WER ratio to pocketsphinx_continuous:" \
					"$(calc '%.3f' "$(mean_of "$(echo "$r" | tail -1)") / $base_mean")"
			fi ;;
		esac
		HEADER=0
	done
	base_mean=""
done

if [ "$LONG" = 1 ]; then
	"$B" concat "$WORK/short.wav" 0.8 $(awk '{ print $1 }' "$WORK/test.list")
	"$B" repeat "$WORK/long.wav" 60 "$WORK/short.wav"
	echo "== 60-minute file (the test half repeated)"
	long=$("$B" transcribe "$WORK/long.wav" -w "$WORKERS")
	echo "ours: $long"
	echo "peak memory: $(field "$long" peak_rss_mb) MB (target < 250 MB)," \
		"RTF $(field "$long" rtf)"
	rm -f "$WORK/long.wav"
fi
