#!/bin/sh
# Coordinate sweep of the decoder settings on the tune half of bench/asr.
# Not part of the test suite.
#
#   bench/asr/sweep.sh BUILD_DIR [KNOBS_FILE]
#
# KNOBS_FILE (default: bench/asr/knobs.txt) has one knob per line: the
# decoder flag, then the values to try besides the current one, e.g.
#   -lw 5.5 8 10
# Flags that should move together are one knob, comma-separated, with
# comma-separated values, e.g. "-lw,-fwdflatlw 8,10.5".
# Knobs are tried in order; each keeps the value with the lowest mean WER
# (ties: lowest pooled WER, then least CPU) among the settings so far and
# the same plus one value.  MIN_GAIN=P keeps a value only if it lowers the
# mean WER by at least P points (default 0: any gain; a few errors move the
# mean by a few tenths).  MAX_CPU=R also refuses settings whose CPU per
# audio second exceeds R times pocketsphinx_continuous's; off by default,
# since CPU time per audio second grows by half when the cores are shared
# with other work, and the speed of the chosen settings is measured against
# pocketsphinx_continuous in one run afterwards.  A line
# "@vad NAME=V NAME=V2..." sweeps a VAD setting (see VAD= in run.sh) the
# same way.
#
# Every run goes through run.sh (MODES="base plain", the baseline is
# decoded once and kept in WORK).  Results are cached in WORK/sweep.tsv
# (settings, mean, pooled, CPU s per audio s), so an interrupted sweep
# resumes; the table is printed as Markdown at the end.
#   WORK (default /tmp/asr_sweep)  speech, baseline and cache
#   START="-flag v .."            settings to start from (default: none)
#   START_VAD="name=v .."         VAD settings to start from
set -eu

[ $# -ge 1 ] || { echo "usage: $0 BUILD_DIR [KNOBS_FILE]" >&2; exit 2; }
BUILD=$1
HERE=$(cd "$(dirname "$0")" && pwd)
KNOBS=${2:-$HERE/knobs.txt}
WORK=${WORK:-/tmp/asr_sweep}
MAX_CPU=${MAX_CPU:-0}
MIN_GAIN=${MIN_GAIN:-0}
export WORK
mkdir -p "$WORK"
CACHE="$WORK/sweep.tsv"
touch "$CACHE"

# "mean pooled cpu" for decoder settings $1 and VAD settings $2.
score() {
	key="$1 | $2"
	hit=$(awk -F '\t' -v k="$key" '$1 == k { print $2, $3, $4, $5 }' "$CACHE")
	if [ -n "$hit" ]; then
		echo "$hit"
		return
	fi
	out=$(DECODER="$1" VAD="$2" MODES="base plain" sh "$HERE/run.sh" "$BUILD" --half tune)
	ours=$(echo "$out" | grep '^ours ')
	cpu=$(echo "$out" | grep 'CPU s per audio s' | sed -n '2s/.*: \([0-9.]*\),.*/\1/p')
	base=$(echo "$out" | grep 'CPU s per audio s' | sed -n '1s/.*: \([0-9.]*\)$/\1/p')
	line=$(echo "$ours" | awk -v c="$cpu" -v b="$base" '{ print $(NF - 1), $NF, c, b }')
	printf '%s\t%s\n' "$key" "$(echo "$line" | tr ' ' '\t')" >>"$CACHE"
	echo "$line"
}

# True when score $1 beats score $2 within the CPU cap.
better() {
	echo "$1 $2" | awk -v cap="$MAX_CPU" -v gain="$MIN_GAIN" '{
		if (cap > 0 && $3 > cap * $4) exit 1
		if (gain > 0) exit !($1 <= $5 - gain + 1e-9)
		if ($1 != $5) exit !($1 < $5)
		if ($2 != $6) exit !($2 < $6)
		exit !($3 < $7)
	}'
}

# Replaces (or adds) "flag value" in a settings string.
set_knob() { # settings flag value [sep]
	echo "$1" | awk -v f="$2" -v v="$3" -v sep="${4:- }" '{
		n = split($0, a, " "); out = ""; done = 0
		for (i = 1; i <= n; i++) {
			if (sep == " " && a[i] == f) { out = out " " f " " v; i++; done = 1 }
			else if (sep == "=" && index(a[i], f "=") == 1) { out = out " " f "=" v; done = 1 }
			else out = out " " a[i]
		}
		if (!done) out = out (sep == " " ? " " f " " v : " " f "=" v)
		sub(/^ /, "", out); print out
	}'
}

# set_knob for each flag of "-f1,-f2" with the value of "v1,v2".
set_knobs() { # settings flags values
	out=$1
	i=1
	for f in $(echo "$2" | tr , ' '); do
		out=$(set_knob "$out" "$f" "$(echo "$3" | cut -d, -f"$i")")
		i=$((i + 1))
	done
	echo "$out"
}

dec=${START:-}
vad=${START_VAD:-}
best=$(score "$dec" "$vad")
echo "start: [$dec] [$vad] -> $best" >&2
while read -r knob values; do
	case $knob in ''|'#'*) continue ;; esac
	for v in $values; do
		if [ "$knob" = @vad ]; then
			name=${v%%=*}
			try_dec=$dec
			try_vad=$(set_knob "$vad" "$name" "${v#*=}" =)
		else
			try_dec=$(set_knobs "$dec" "$knob" "$v")
			try_vad=$vad
		fi
		s=$(score "$try_dec" "$try_vad")
		echo "try: [$try_dec] [$try_vad] -> $s" >&2
		if better "$s" "$best"; then
			best=$s
			cand_dec=$try_dec
			cand_vad=$try_vad
		fi
	done
	dec=${cand_dec:-$dec}
	vad=${cand_vad:-$vad}
	unset cand_dec cand_vad
	echo "kept: [$dec] [$vad] -> $best" >&2
done <"$KNOBS"

echo "| decoder settings | VAD | mean WER % | pooled WER % | CPU s / audio s | baseline CPU |"
echo "|---|---|---|---|---|---|"
awk -F '\t' '{ split($1, k, " \\| "); printf "| `%s` | %s | %s | %s | %s | %s |\n",
	k[1] == "" ? "(defaults)" : k[1], k[2] == "" ? "-" : k[2], $2, $3, $4, $5 }' "$CACHE"
echo "chosen: DECODER=\"$dec\" VAD=\"$vad\" ($best)"
