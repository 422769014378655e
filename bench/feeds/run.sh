#!/usr/bin/env bash
# bench/feeds/run.sh BUILD_DIR [REPEATS]
#
# Published-transcript downloads: 100 episodes, each with a ~512 KiB VTT
# transcript, served by the loopback test server with 50 ms latency per
# reply.  Times podcast_scraper (fetch the feed, download, parse, write the
# transcript, text, segments, metadata, state) against the baseline
# `xargs -P 8 curl -s -o` over the same URLs, in the same invocation, and
# prints both times and the ratio (best of REPEATS runs each, default 3).
set -euo pipefail
BUILD=$(cd "${1:?usage: bench/feeds/run.sh BUILD_DIR [REPEATS]}" && pwd)
REPEATS=${2:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
N=100
PS=$BUILD/podcast_scraper
export TESTSERVER=$BUILD/tests/server/testserver
[ -x "$PS" ] && [ -x "$TESTSERVER" ] || { echo "build $BUILD first" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is needed for the baseline" >&2; exit 1; }

WORK=$(mktemp -d /tmp/pc_bench_feeds.XXXXXX)
. "$HERE/../../tests/lib/server.sh"
SITE=$WORK/site
mkdir -p "$SITE/t"

python3 - "$SITE" "$N" <<'PY'
import sys
site, n = sys.argv[1], int(sys.argv[2])
items = []
for i in range(1, n + 1):
    cues, t, size = ["WEBVTT", ""], 0, 0
    while size < 512 * 1024:
        cue = (f"{t // 3600:02d}:{t // 60 % 60:02d}:{t % 60:02d}.000 --> "
               f"{t // 3600:02d}:{t // 60 % 60:02d}:{t % 60:02d}.900\n"
               f"<v Host>Episode {i}, sentence {t}: the quick brown fox jumps over the lazy dog.\n")
        cues.append(cue)
        size += len(cue) + 1
        t += 1
    with open(f"{site}/t/{i}.vtt", "w") as f:
        f.write("\n".join(cues))
    items.append(f'<item><title>Bench episode {i}</title><guid>bench-{i}</guid>'
                 f'<podcast:transcript url="t/{i}.vtt" type="text/vtt"/></item>')
with open(f"{site}/feed.xml", "w") as f:
    f.write('<?xml version="1.0"?><rss version="2.0" '
            'xmlns:podcast="https://podcastindex.org/namespace/1.0"><channel>'
            '<title>Bench</title>' + "\n".join(items) + '</channel></rss>\n')
PY
server_start "$SITE" --latency-ms 50
trap 'server_stop; rm -rf "$WORK"' EXIT

now() { date +%s.%N; }
best_ours= best_curl=
for ((r = 1; r <= REPEATS; r++)); do
	rm -rf "$WORK/ours" "$WORK/curl"
	t0=$(now)
	"$PS" "$SERVER_URL/feed.xml" --output-dir "$WORK/ours" --workers 8 --quiet 2>"$WORK/ours.err" ||
		{ cat "$WORK/ours.err" >&2; exit 1; }
	t1=$(now)
	mkdir -p "$WORK/curl"
	for ((i = 1; i <= N; i++)); do
		printf '%s\n%s\n' "$WORK/curl/$i.vtt" "$SERVER_URL/t/$i.vtt"
	done | xargs -P 8 -n 2 curl -s -o
	t2=$(now)
	ours=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
	base=$(awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }')
	printf 'run %d: podcast_scraper %.2fs, xargs -P 8 curl %.2fs\n' "$r" "$ours" "$base"
	best_ours=$(awk -v a="$ours" -v b="${best_ours:-$ours}" 'BEGIN { print (a < b ? a : b) }')
	best_curl=$(awk -v a="$base" -v b="${best_curl:-$base}" 'BEGIN { print (a < b ? a : b) }')
done
got=$(ls "$WORK/ours/transcripts/"*.vtt | wc -l)
bytes=$(du -sb "$SITE/t" | cut -f1)
[ "$got" = "$N" ] || { echo "only $got of $N transcripts saved" >&2; exit 1; }
awk -v o="$best_ours" -v c="$best_curl" -v n="$N" -v b="$bytes" 'BEGIN {
	printf "%d transcripts, %.1f MiB, 50 ms latency, 8 parallel transfers\n", n, b / 1048576
	printf "podcast_scraper   %.2fs (best of runs; also parses and writes text, segments, metadata)\n", o
	printf "xargs -P 8 curl   %.2fs\n", c
	printf "ratio             %.2fx the baseline time\n", o / c
}'
