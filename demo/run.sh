#!/usr/bin/env bash
# The demo behind `make demo`: serves the bundled feed in demo/site on
# 127.0.0.1 with the project's loopback server, makes the audio of the
# episodes with flite (so the audio-only episode has real speech), and runs
# the pipeline with the embedded engines into output/demo.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
bin=$build/podcast_scraper
TESTSERVER=$build/tests/server/testserver
export TESTSERVER
. tests/lib/server.sh

site=$(mktemp -d "${TMPDIR:-/tmp}/podcast_demo.XXXXXX")
cleanup() { server_stop; rm -rf "$site"; }
trap cleanup EXIT
cp -r demo/site/. "$site/"
mkdir -p "$site/media"
flite -voice slt -f demo/ep1.txt -o "$site/media/ep1.wav"
for n in 2 3; do
	flite -voice rms -t "This is episode $n of the workshop hour." -o "$site/media/ep$n.wav"
done
server_start "$site"
trap cleanup EXIT

echo "== serving the demo feed at $SERVER_URL/feed.xml"
echo "== podcast_scraper $SERVER_URL/feed.xml --output-dir output/demo --generate-summaries --screenplay"
status=0
"$bin" "$SERVER_URL/feed.xml" --output-dir output/demo --generate-summaries --screenplay \
	--progress=off || status=$?
echo
echo "== output/demo (exit status $status):"
find output/demo -type f -not -path '*/runs/*' | sort
echo
echo "== run artifacts:"
ls output/demo/runs/*/ | head
exit "$status"
