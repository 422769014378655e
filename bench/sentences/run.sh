#!/bin/sh
# Sentence ends of local transcripts: speech made with flite from punctuated
# texts (texts/*.txt, first line "names: ..." the episode's known names), in
# three voices, through the embedded recognizer.  Not part of the test suite.
#
#   bench/sentences/run.sh BUILD_DIR tune     texts 01-05: precision and
#                                             recall for a sweep of pause
#                                             thresholds (one recognition
#                                             per file, sentences_bench)
#   bench/sentences/run.sh BUILD_DIR report   texts 06-10 through the real
#                                             binary (transcribe --format
#                                             json; the VTT rendered from it
#                                             by the same renderer), defaults
#
# Prints sentence-end precision and recall against the texts' own sentence
# ends (score.py aligns the words first), the share of sentences that start
# with a capital, and the cues over the subtitle limits (7 s, 2 lines of 42
# characters).  VOICES overrides the voices (default "slt rms awb").
set -eu

[ $# -ge 1 ] || { echo "usage: $0 BUILD_DIR [tune|report]" >&2; exit 2; }
BUILD=$(cd "$1" && pwd)
MODE=${2:-report}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib/lib.sh"
VOICES=${VOICES:-"slt rms awb"}
PAUSES=${PAUSES:-"0.14 0.16 0.18 0.20 0.22 0.24 0.26 0.28 0.30 0.34"}
WORK=$(mktemp -d /tmp/sentences_bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

bench_need flite python3

case $MODE in
tune) texts="01 02 03 04 05" ;;
report) texts="06 07 08 09 10" ;;
*) echo "mode: tune or report" >&2; exit 2 ;;
esac

speech() { # text voice -> wav path
	sed 1d "$HERE/texts/$1.txt" >"$WORK/$1.txt"
	flite -voice "$2" -f "$WORK/$1.txt" -o "$WORK/$1_$2.wav"
}
names() { # text -> names file
	sed -n '1s/^names: *//p' "$HERE/texts/$1.txt" | tr ',' '\n' >"$WORK/$1.names"
}
total() { # files... -> "P R capped cues over" over all score lines
	awk '{ tp += $1; fp += $2; fn += $3; st += $4; cap += $5; cues += $6; over += $7 }
	     END { printf "precision %.3f recall %.3f (tp %d fp %d fn %d) starts %d capitalized %d cues %d over-limit %d\n",
	           tp / (tp + fp), tp / (tp + fn), tp, fp, fn, st, cap, cues, over }' "$@"
}

bench_cc "$WORK/sentences_bench" "$HERE/sentences_bench.c"

if [ "$MODE" = tune ]; then
	for t in $texts; do
		names "$t"
		for v in $VOICES; do
			speech "$t" "$v"
			# shellcheck disable=SC2086
			"$WORK/sentences_bench" "$WORK/${t}_$v.wav" "$WORK/$t.names" \
				"$WORK/${t}_$v" $PAUSES
			for p in $PAUSES; do
				python3 "$HERE/score.py" "$HERE/texts/$t.txt" \
					"$WORK/${t}_$v.$p.json" >>"$WORK/score.$p"
			done
		done
	done
	for p in $PAUSES; do
		printf 'pause %s: %s\n' "$p" "$(total "$WORK/score.$p")"
	done
	exit 0
fi

for t in $texts; do
	names "$t"
	for v in $VOICES; do
		speech "$t" "$v"
		set --
		while read -r n; do set -- "$@" --speaker-names "$n"; done <"$WORK/$t.names"
		"$BUILD/podcast_scraper" transcribe "$@" --format json \
			-o "$WORK/${t}_$v.json" "$WORK/${t}_$v.wav"
		"$WORK/sentences_bench" vtt "$WORK/${t}_$v.json" "$WORK/${t}_$v.vtt"
		python3 "$HERE/score.py" "$HERE/texts/$t.txt" "$WORK/${t}_$v.json" \
			"$WORK/${t}_$v.vtt" | tee -a "$WORK/score" | sed "s/^/$t $v: /"
	done
done
echo "held-out texts ($texts), voices $VOICES:"
total "$WORK/score"
