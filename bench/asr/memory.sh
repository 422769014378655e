#!/usr/bin/env bash
# Peak memory of a whole run on one 60-minute episode.  Not part of the
# test suite.
#
#   bench/asr/memory.sh BUILD_DIR [MINUTES] [-- EXTRA_OPTIONS...]
#
# Makes a MINUTES-long (default 60) episode from flite speech (the test half
# of bench/asr repeated), serves it with a show description from the
# loopback test server and runs podcast_scraper on the feed end to end
# (download, transcription with the show's language model, diarization,
# speakers, summary, metadata) with its default process isolation.  Every
# 0.5 s it reads /proc of the whole process tree; it prints the peak of the
# summed resident memory of all processes at once (RSS, and PSS, which
# counts a shared library page once), what each process held at that
# moment (RSS, PSS, and its RSS split into heap, other anonymous memory --
# thread arenas, large blocks -- and file mappings), each process's own
# peak (VmHWM) and the wall and CPU time.  Target: the summed peak < 250 MB.
#   WORK=DIR   speech made by bench/asr/run.sh (reused; default /tmp/asr_mem)
#              and the episode, cached by its length as site/long-MINUTES.wav
set -euo pipefail
BUILD=$(cd "${1:?usage: bench/asr/memory.sh BUILD_DIR [MINUTES] [-- OPTIONS...]}" && pwd)
shift
MINUTES=60
if [ $# -gt 0 ] && [ "$1" != -- ]; then MINUTES=$1; shift; fi
[ "${1:-}" = -- ] && shift
HERE=$(cd "$(dirname "$0")" && pwd)
PS=$BUILD/podcast_scraper
export TESTSERVER=$BUILD/tests/server/testserver
[ -x "$PS" ] && [ -x "$TESTSERVER" ] || { echo "build $BUILD first" >&2; exit 1; }
export WORK=${WORK:-/tmp/asr_mem}
mkdir -p "$WORK"

# The speech and the bench helper come from run.sh (test half, no decoding).
MODES=none sh "$HERE/run.sh" "$BUILD" --half test >/dev/null
SITE=$WORK/site
mkdir -p "$SITE"
EPISODE=long-$MINUTES.wav
if [ ! -f "$SITE/$EPISODE" ]; then
	"$WORK/asr_bench" concat "$WORK/short.wav" 0.8 $(awk '{ print $1 }' "$WORK/test.list")
	"$WORK/asr_bench" repeat "$SITE/$EPISODE.tmp" "$MINUTES" "$WORK/short.wav"
	mv "$SITE/$EPISODE.tmp" "$SITE/$EPISODE"
fi
about=$(cat "$HERE"/shows/*/about.txt | tr -d '<>&')
cat >"$SITE/feed.xml" <<EOF
<?xml version="1.0"?><rss version="2.0"><channel><title>Bench radio</title>
<description>$about</description>
<item><title>The long episode</title><guid>mem-1</guid>
<description>News, technical talk and a chat with guests.</description>
<enclosure url="$EPISODE" type="audio/wav" length="0"/></item>
</channel></rss>
EOF

. "$HERE/../../tests/lib/server.sh"
server_start "$SITE"
OUT=$WORK/out
rm -rf "$OUT"
/usr/bin/time -f '%e %U %S' -o "$WORK/time" "$PS" "$SERVER_URL/feed.xml" \
	--output-dir "$OUT" --generate-summaries --quiet "$@" 2>"$WORK/err" &
top=$!

# pid -> command and VmHWM (kB) of top's tree; the peaks of the summed
# VmRSS (shared library pages counted in every process) and of the summed
# Pss (shared pages split between the processes that map them), and what
# each process held when the summed RSS peaked.
peak=0
peak_pss=0
at_peak=
peak_t=0
declare -A hwm name

# RSS PSS HEAP ANON FILE (kB) of pid $1 from its smaps.
footprint() {
	# (one line: mawk takes no line break inside ?:)
	awk '/^[0-9a-f]+-[0-9a-f]+ / { kind = $6 == "[heap]" ? "heap" : ($6 == "" || $6 ~ /^\[/) ? "anon" : "file" }
		/^Rss:/ { rss += $2; part[kind] += $2 } /^Pss:/ { pss += $2 }
		END { print rss + 0, pss + 0, part["heap"] + 0, part["anon"] + 0,
			part["file"] + 0 }' "/proc/$1/smaps" 2>/dev/null || echo "0 0 0 0 0"
}

# The whole smaps is costly to read (a decoder maps ~1000 regions): it is read
# only when the summed RSS passes its peak by 1 MB or more.
while kill -0 "$top" 2>/dev/null; do
	pids=$(ps -eo pid=,ppid= | awk -v t="$top" '
		{ parent[$1] = $2 }
		END { for (p in parent) { q = p; while (q > 1 && q != t) q = parent[q]
			if (q == t) print p } }')
	sum=0
	pss=0
	for p in $pids; do
		read -r rss q h < <(awk '/^Rss:/ { r = $2 } /^Pss:/ { s = $2 }
			/^VmHWM/ { h = $2 } END { print r + 0, s + 0, h + 0 }' \
			"/proc/$p/smaps_rollup" "/proc/$p/status" 2>/dev/null || echo "0 0 0")
		sum=$((sum + rss))
		pss=$((pss + q))
		[ "${h:-0}" -gt "${hwm[$p]:-0}" ] && hwm[$p]=${h:-0}
		# a process that just ended has no cmdline: not an error
		[ -n "${name[$p]:-}" ] || name[$p]=$( { tr '\0' ' ' <"/proc/$p/cmdline"; } 2>/dev/null |
			awk '{ for (i = 2; i <= NF && i <= 3; i++) s = s " " $i; print s }') || true
	done
	if [ "$sum" -ge $((peak + 1024)) ]; then
		at_peak=
		for p in $pids; do
			at_peak="$at_peak$p $(footprint "$p")
"
		done
		peak_t=$SECONDS
	fi
	[ "$sum" -gt "$peak" ] && peak=$sum
	[ "$pss" -gt "$peak_pss" ] && peak_pss=$pss
	sleep 0.5
done
wait "$top" || { cat "$WORK/err" >&2; exit 1; }
read -r wall user sys <"$WORK/time"
echo "episode: $MINUTES min; wall ${wall}s, CPU $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')s"
echo "each process's own peak (VmHWM):"
for p in "${!hwm[@]}"; do
	printf '  pid %-7s peak %4d MB  %s\n' "$p" $((hwm[$p] / 1024)) "${name[$p]}"
done
echo "at the summed peak (${peak_t}s into the run, within 1 MB), MB:"
printf '  %-7s %5s %5s %5s %5s %5s  %s\n' pid RSS PSS heap anon file process
while read -r p rss q heap anon file; do
	[ -n "$p" ] || continue
	printf '  %-7s %5d %5d %5d %5d %5d  %s\n' "$p" $((rss / 1024)) $((q / 1024)) \
		$((heap / 1024)) $((anon / 1024)) $((file / 1024)) "${name[$p]}"
done <<<"$at_peak"
echo "peak of all processes at once: RSS $((peak / 1024)) MB, PSS $((peak_pss / 1024)) MB" \
	"(target < 250 MB)"
ls "$OUT"/transcripts/ >/dev/null
