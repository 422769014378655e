#!/usr/bin/env bash
# bench/archive/run.sh BUILD_DIR [REPEATS]
#
# Archive mode: a feed of 100 episodes without transcript tags, each with a
# 512 KiB enclosure, served by the loopback test server with 50 ms latency
# per reply.  Times `podcast_scraper --download-media --no-transcribe-missing`
# (fetch and parse the feed, download every enclosure into media/ through
# .part files renamed when complete, fsync, index and state) against the
# baseline `xargs -P 8 curl -s -o` over the same URLs, in the same
# invocation, and prints both times and the ratio (best of REPEATS runs
# each, default 3).
set -euo pipefail
BUILD=$(cd "${1:?usage: bench/archive/run.sh BUILD_DIR [REPEATS]}" && pwd)
REPEATS=${2:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
N=100
PS=$BUILD/podcast_scraper
export TESTSERVER=$BUILD/tests/server/testserver
[ -x "$PS" ] && [ -x "$TESTSERVER" ] || { echo "build $BUILD first" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is needed for the baseline" >&2; exit 1; }

WORK=$(mktemp -d /tmp/pc_bench_archive.XXXXXX)
. "$HERE/../../tests/lib/server.sh"
SITE=$WORK/site
mkdir -p "$SITE/m"
{
	echo '<?xml version="1.0"?><rss version="2.0"><channel><title>Archive bench</title>'
	for ((i = 1; i <= N; i++)); do
		head -c 524288 /dev/urandom >"$SITE/m/$i.mp3"
		printf '<item><title>Archive episode %d</title><guid>arc-%d</guid>' "$i" "$i"
		printf '<enclosure url="m/%d.mp3" type="audio/mpeg" length="524288"/></item>\n' "$i"
	done
	echo '</channel></rss>'
} >"$SITE/feed.xml"
server_start "$SITE" --latency-ms 50
trap 'server_stop; rm -rf "$WORK"' EXIT

now() { date +%s.%N; }
best_ours= best_curl=
for ((r = 1; r <= REPEATS; r++)); do
	rm -rf "$WORK/ours" "$WORK/curl"
	t0=$(now)
	"$PS" "$SERVER_URL/feed.xml" --output-dir "$WORK/ours" --workers 8 --quiet \
		--download-media --no-transcribe-missing 2>"$WORK/ours.err" ||
		{ cat "$WORK/ours.err" >&2; exit 1; }
	t1=$(now)
	mkdir -p "$WORK/curl"
	for ((i = 1; i <= N; i++)); do
		printf '%s\n%s\n' "$WORK/curl/$i.mp3" "$SERVER_URL/m/$i.mp3"
	done | xargs -P 8 -n 2 curl -s -o
	t2=$(now)
	ours=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
	base=$(awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }')
	printf 'run %d: podcast_scraper %.2fs, xargs -P 8 curl %.2fs\n' "$r" "$ours" "$base"
	best_ours=$(awk -v a="$ours" -v b="${best_ours:-$ours}" 'BEGIN { print (a < b ? a : b) }')
	best_curl=$(awk -v a="$base" -v b="${best_curl:-$base}" 'BEGIN { print (a < b ? a : b) }')
done
got=$(ls "$WORK/ours/media/" | wc -l)
[ "$got" = "$N" ] || { echo "only $got of $N enclosures archived" >&2; exit 1; }
for ((i = 1; i <= N; i++)); do
	cmp -s "$SITE/m/$i.mp3" "$(ls "$WORK"/ours/media/*_Archive_episode_${i}_*.mp3)" ||
		{ echo "enclosure $i differs" >&2; exit 1; }
done
bytes=$(du -sb "$SITE/m" | cut -f1)
awk -v o="$best_ours" -v c="$best_curl" -v n="$N" -v b="$bytes" 'BEGIN {
	printf "%d enclosures, %.1f MiB, 50 ms latency, 8 parallel transfers\n", n, b / 1048576
	printf "podcast_scraper   %.2fs (best of runs; also parses the feed, fsyncs, writes index and state)\n", o
	printf "xargs -P 8 curl   %.2fs\n", c
	printf "ratio             %.2fx the baseline time\n", o / c
}'
