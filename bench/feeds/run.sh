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
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib/lib.sh"
. "$HERE/../lib/http.sh"
bench_build "${1:?usage: bench/feeds/run.sh BUILD_DIR [REPEATS]}"
REPEATS=${2:-3}
N=100
bench_http_setup feeds
bench_need curl
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
bench_http_serve --latency-ms 50

bench_vs_curl "$REPEATS" "$N" t vtt
got=$(ls "$WORK/ours/transcripts/"*.vtt | wc -l)
bytes=$(du -sb "$SITE/t" | cut -f1)
[ "$got" = "$N" ] || { echo "only $got of $N transcripts saved" >&2; exit 1; }
awk -v o="$best_ours" -v c="$best_curl" -v n="$N" -v b="$bytes" 'BEGIN {
	printf "%d transcripts, %.1f MiB, 50 ms latency, 8 parallel transfers\n", n, b / 1048576
	printf "podcast_scraper   %.2fs (best of runs; also parses and writes text, segments, metadata)\n", o
	printf "xargs -P 8 curl   %.2fs\n", c
	printf "ratio             %.2fx the baseline time\n", o / c
}'
