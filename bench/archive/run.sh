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
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib/lib.sh"
. "$HERE/../lib/http.sh"
bench_build "${1:?usage: bench/archive/run.sh BUILD_DIR [REPEATS]}"
REPEATS=${2:-3}
N=100
bench_http_setup archive
bench_need curl
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
bench_http_serve --latency-ms 50

bench_vs_curl "$REPEATS" "$N" m mp3 --download-media --no-transcribe-missing
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
