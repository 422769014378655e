#!/usr/bin/env bash
# funclen: short functions.  Reports the median length of the functions in
# src/ (lines of the body between the braces) and fails when it is above 15;
# also lists the longest, the first candidates for a split.
# The code puts a function's braces alone at column 0 (kernel style), so a
# "{" line opens a body and the next "}" line closes it.
# Usage: funclen.sh [SRC_DIR [MAX_MEDIAN]]
set -u
src=${1:-"$TEST_SRCDIR/../src"}
max=${2:-15}
lengths=$(mktemp)
trap 'rm -f "$lengths"' EXIT

find "$src" -name '*.c' | sort | xargs awk '
	FNR == 1 { open = 0 }
	/^[a-zA-Z].*\(/ { name = $0 }
	/^\{$/ { open = FNR; next }
	/^\}$/ && open {
		sub(/\(.*/, "", name); n = split(name, w, /[ *]+/)
		print FNR - open - 1, FILENAME ":" open, w[n]; open = 0
	}' | sort -n > "$lengths"

count=$(wc -l < "$lengths")
if [ "$count" = 0 ]; then
	echo "funclen: no functions found under $src"
	exit 1
fi
median=$(awk -v n="$count" '{ a[NR] = $1 } END {
	print (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }' "$lengths")
echo "funclen: $count functions, median $median lines (at most $max), longest:"
sort -rn "$lengths" | head -5 | sed "s|^|  |; s|$src/||"
if awk -v m="$median" -v max="$max" 'BEGIN { exit !(m > max) }'; then
	echo "funclen: median $median is above $max: split long functions"
	exit 1
fi
