#!/usr/bin/env bash
# modcycles: no include cycle between module folders under src/.
# A module is a folder src/<m>/; "#include "<other>/x.h"" in one of its files
# is an edge m -> other.  Two modules that include each other, or any longer
# loop, fail: a module's header is its contract, so the dependency between
# modules has to point one way.
# Usage: modcycles.sh [SRC_DIR]   (default: the repository's src/)
set -u
src=${1:-"$TEST_SRCDIR/../src"}
edges=$(mktemp)
trap 'rm -f "$edges"' EXIT

(cd "$src" && grep -rHE '^[[:space:]]*#[[:space:]]*include[[:space:]]+"[a-z0-9_]+/' \
	--include='*.[ch]' .) |
	sed -nE 's|^\./([a-z0-9_]+)/([^:]+):[^"]*"([a-z0-9_]+)/.*|\1 \3 \1/\2|p' |
	while read -r from to file; do
		[ "$from" != "$to" ] && [ -d "$src/$to" ] && echo "$from $to $file"
	done | sort -u -k1,2 > "$edges"

fail=0
while read -r from to file; do
	back=$(awk -v a="$from" -v b="$to" '$1 == b && $2 == a { print $3; exit }' "$edges")
	if [ -n "$back" ] && [[ "$from" < "$to" ]]; then
		echo "modcycles: $from/ and $to/ include each other ($file, $back)"
		fail=1
	fi
done < "$edges"

if ! loop=$(cut -d' ' -f1,2 "$edges" | tsort 2>&1 >/dev/null) || [ -n "$loop" ]; then
	echo "modcycles: include cycle between module folders:"
	echo "$loop" | sed -n 's/^tsort: \([a-z0-9_]*\)$/  \1/p'
	fail=1
fi
if [ "$fail" = 0 ]; then
	echo "modcycles: $(cut -d' ' -f1,2 "$edges" | sort -u | wc -l) module dependencies, no cycle"
fi
exit "$fail"
