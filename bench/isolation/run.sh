#!/usr/bin/env bash
# bench/isolation/run.sh BUILD_DIR [REPEATS] [EPISODES]
#
# What process isolation costs.  One feed of EPISODES (default 4) audio
# episodes of about 30 s of speech each (made with flite, distinct texts),
# served by the loopback test server, is transcribed end to end (download,
# decode, pocketsphinx, transcript, metadata) with --isolation process and
# with --isolation inline, alternating the two modes REPEATS times (default
# 3) in the same invocation so that both see the same machine.  Prints each
# run, the median wall time and CPU time (user+sys of the whole process tree)
# of each mode, and the ratio process/inline; the target is a wall-time
# overhead under 5%.  Exit status 0 when the target is met, 1 if not.  The
# best (shortest) times are printed too: on a machine shared with other
# work they are the least disturbed.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib/lib.sh"
. "$HERE/../lib/http.sh"
bench_build "${1:?usage: bench/isolation/run.sh BUILD_DIR [REPEATS] [EPISODES]}"
REPEATS=${2:-3}
N=${3:-4}
bench_http_setup isolation
command -v flite >/dev/null || { echo "flite is needed to make the speech" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is needed" >&2; exit 1; }

# ~30 s of speech per episode: eight sentences about a numbered town.
speech() {
	local i=$1
	printf '%s ' \
		"This is episode number $i of the county radio hour." \
		"The town council met on Monday to discuss the new bridge over the river." \
		"Engineers said the old bridge can carry only light traffic until next spring." \
		"Farmers in the valley expect a good harvest of wheat and barley this year." \
		"The school will open a new library with more than two thousand books." \
		"A storm is coming from the west, with strong winds and heavy rain on Thursday." \
		"Volunteers cleaned the park and planted forty young oak trees near the lake." \
		"Thank you for listening, and join us again next week at the same time."
}
{
	echo '<?xml version="1.0"?><rss version="2.0"><channel><title>Bench</title>'
	for ((i = 1; i <= N; i++)); do
		speech "$i" | flite -voice slt -o "$SITE/$i.wav"
		echo "<item><title>Radio hour $i</title><guid>iso-$i</guid>"
		echo "<enclosure url=\"$i.wav\" type=\"audio/wav\" length=\"0\"/></item>"
	done
	echo '</channel></rss>'
} >"$SITE/feed.xml"
audio=$(python3 - "$SITE" "$N" <<'PY'
import sys, wave
print(round(sum(wave.open(f"{sys.argv[1]}/{i}.wav").getnframes() / 16000
                for i in range(1, int(sys.argv[2]) + 1))))
PY
)
bench_http_serve

# one MODE: runs the job once; prints "wall cpu"
one() {
	local out=$WORK/out_$1
	rm -rf "$out"
	/usr/bin/time -f '%e %U %S' -o "$WORK/time" "$PS" "$SERVER_URL/feed.xml" \
		--output-dir "$out" --isolation "$1" --quiet 2>"$WORK/err" ||
		{ cat "$WORK/err" >&2; exit 1; }
	[ "$(ls "$out"/transcripts/*.txt | wc -l)" = "$N" ] ||
		{ echo "$1: not every episode was transcribed" >&2; exit 1; }
	awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' "$WORK/time"
}

best() {
	sort -n | head -n 1
}

median() {
	sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

: >"$WORK/process" && : >"$WORK/inline"
echo "$N episodes, ${audio}s of speech in all; $REPEATS runs per mode, alternating"
for ((r = 1; r <= REPEATS; r++)); do
	# alternate which mode goes first, so neither always gets the warm caches
	if ((r % 2)); then modes="process inline"; else modes="inline process"; fi
	for m in $modes; do
		read -r wall cpu < <(one "$m")
		echo "$wall $cpu" >>"$WORK/$m"
		printf 'run %d  %-8s wall %6.2fs  cpu %6.2fs\n' "$r" "$m" "$wall" "$cpu"
	done
done
pw=$(cut -d' ' -f1 "$WORK/process" | median)
iw=$(cut -d' ' -f1 "$WORK/inline" | median)
pc=$(cut -d' ' -f2 "$WORK/process" | median)
ic=$(cut -d' ' -f2 "$WORK/inline" | median)
pb=$(cut -d' ' -f1 "$WORK/process" | best)
ib=$(cut -d' ' -f1 "$WORK/inline" | best)
awk -v pw="$pw" -v iw="$iw" -v pc="$pc" -v ic="$ic" -v pb="$pb" -v ib="$ib" 'BEGIN {
	printf "median wall: process %.2fs, inline %.2fs: ratio %.3f (%+.1f%%)\n", pw, iw, pw / iw, (pw / iw - 1) * 100
	printf "median cpu:  process %.2fs, inline %.2fs: ratio %.3f (%+.1f%%)\n", pc, ic, pc / ic, (pc / ic - 1) * 100
	printf "best wall:   process %.2fs, inline %.2fs: ratio %.3f (%+.1f%%)\n", pb, ib, pb / ib, (pb / ib - 1) * 100
	ok = pw / iw < 1.05
	printf "target: process isolation under 5%% of wall time: %s\n", ok ? "met" : "NOT met"
	exit !ok
}'
