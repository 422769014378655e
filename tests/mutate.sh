#!/usr/bin/env bash
# Mutation testing, by hand (not part of the suite): flips chosen conditions
# in src/ one at a time, rebuilds, runs the tests named for each, and reports
# which mutations survive (their tests still pass: a behaviour no test pins).
#
#   tests/mutate.sh [MUTATIONS_FILE] [-k]     (default tests/mutations.txt)
#
# Works on a detached git worktree of HEAD in a temporary folder with its own
# build, so the caller's tree and build are never touched; -k keeps it.
# Exit status: 0 when every mutation was killed, 1 when some survived or
# could not be applied, 2 on a usage or setup error.
set -euo pipefail

repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
list=$repo/tests/mutations.txt
keep=0
for a in "$@"; do
	case $a in
	-k) keep=1 ;;
	-*) echo "usage: $0 [MUTATIONS_FILE] [-k]" >&2; exit 2 ;;
	*) list=$(realpath "$a") ;;
	esac
done
[ -f "$list" ] || { echo "mutate: no list '$list'" >&2; exit 2; }

work=$(mktemp -d /tmp/pc_mutate.XXXXXX)
cleanup() {
	[ "$keep" = 1 ] && { echo "kept $work"; return; }
	git -C "$repo" worktree remove --force "$work/src" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
git -C "$repo" worktree add --detach -q "$work/src" HEAD
tree=$work/src
echo "building HEAD ($(git -C "$tree" rev-parse --short HEAD)) in $tree/build ..."
meson setup "$tree/build" "$tree" -Dwerror=true >"$work/setup.log" 2>&1 ||
	{ tail "$work/setup.log" >&2; exit 2; }
ninja -C "$tree/build" >"$work/build.log" 2>&1 || { tail "$work/build.log" >&2; exit 2; }

trim() { sed 's/^[[:space:]]*//; s/[[:space:]]*$//' <<<"$1"; }

# apply FILE TEXT REPLACEMENT: replaces the one occurrence of TEXT
apply() {
	python3 - "$tree/$1" "$2" "$3" <<'PY'
import sys
path, old, new = sys.argv[1:]
s = open(path).read()
if s.count(old) != 1:
    sys.exit(f"{s.count(old)} occurrences")
open(path, "w").write(s.replace(old, new))
PY
}

# run_one FILE TEXT REPLACEMENT TESTS: prints killed, SURVIVED, not applied or not built
run_one() {
	local file=$1 verdict
	if ! apply "$@" >"$work/apply.log" 2>&1; then
		verdict="NOT APPLIED ($(cat "$work/apply.log"))"
	elif ! ninja -C "$tree/build" >"$work/build.log" 2>&1; then
		verdict="not built (the compiler rejects it: not a test gap)"
	elif meson test -C "$tree/build" --num-processes 2 --timeout-multiplier 3 \
		$4 >"$work/test.log" 2>&1; then
		verdict=SURVIVED
	else
		verdict="killed by $(grep -oE '[a-z0-9_]+ +(FAIL|TIMEOUT)' "$work/test.log" |
			awk '{print $1}' | sort -u | tr '\n' ' ')"
	fi
	git -C "$tree" checkout -q -- "$file"
	echo "$verdict"
}

total=0 survived=0 broken=0
# fields are separated by " | " (spaced), so C's "||" may appear in them
while IFS=$'\t' read -r file text repl tests; do
	file=$(trim "$file") text=$(trim "$text") repl=$(trim "$repl") tests=$(trim "$tests")
	total=$((total + 1))
	v=$(run_one "$file" "$text" "$repl" "$tests" </dev/null)
	case $v in
	SURVIVED) survived=$((survived + 1)) ;;
	NOT*) broken=$((broken + 1)) ;;
	esac
	printf '%-9s %s: "%s" -> "%s" [%s]\n' "${v%% *}" "$file" "$text" "$repl" "$tests"
	[ "${v%% *}" = SURVIVED ] || [ "${v%% *}" = killed ] || echo "          $v"
done < <(awk -F' [|] ' '!/^[[:space:]]*(#|$)/ { print $1 "\t" $2 "\t" $3 "\t" $4 }' "$list")
ninja -C "$tree/build" >/dev/null 2>&1 || true
echo "$total mutations: $((total - survived - broken)) killed or rejected, $survived survived, $broken not applied"
[ "$survived" = 0 ] && [ "$broken" = 0 ]
