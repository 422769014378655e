#!/bin/sh
# Summarizer speed: cleaning + TextRank on a generated ~10,000-word
# transcript, punctuated and unpunctuated, against a tokenize+stem baseline
# measured in the same run.  Not part of the test suite.
#   bench/summarize/run.sh BUILD_DIR [REPETITIONS]
set -eu
build=${1:?usage: bench/summarize/run.sh BUILD_DIR [REPETITIONS]}
reps=${2:-20}
here=$(cd "$(dirname "$0")" && pwd)
ninja -C "$build" bench/summarize/bench_summarize >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
awk -v words=10000 -v punct=1 -f "$here/gen.awk" > "$tmp/punctuated.txt"
awk -v words=10000 -v punct=0 -f "$here/gen.awk" > "$tmp/spoken.txt"
status=0
for f in punctuated spoken; do
	"$build/bench/summarize/bench_summarize" "$tmp/$f.txt" "$reps" zorblax || status=1
done
exit $status
