# assert.sh - tiny assertion helpers for end-to-end tests (bash).
# Each test script: source this, call the helpers; a failed check prints
# where and why and exits 1.  `finish` prints the tally and exits.

set -u
: "${PODCAST_SCRAPER:?PODCAST_SCRAPER must point at the binary}"
T_CHECKS=0
T_WORK=$(mktemp -d /tmp/pc_e2e_XXXXXX)
trap 'rm -rf "$T_WORK"' EXIT

t_fail() {
	echo "FAIL: $*" >&2
	echo "  at ${BASH_SOURCE[2]}:${BASH_LINENO[1]}" >&2
	exit 1
}

# check "description" command...   (command must succeed)
check() {
	local what=$1
	shift
	T_CHECKS=$((T_CHECKS + 1))
	"$@" || t_fail "$what"
}

# run_ps ARGS... : runs the binary, keeps stdout/stderr/exit status.
run_ps() {
	set +e
	"$PODCAST_SCRAPER" "$@" >"$T_WORK/out" 2>"$T_WORK/err"
	T_STATUS=$?
	set -e
}

expect_status() {
	T_CHECKS=$((T_CHECKS + 1))
	[ "$T_STATUS" = "$1" ] || {
		echo "--- stderr:" >&2
		tail -20 "$T_WORK/err" >&2
		t_fail "expected exit status $1, got $T_STATUS"
	}
}

# expect_in FILE TEXT : the file contains TEXT (fixed string)
expect_in() {
	T_CHECKS=$((T_CHECKS + 1))
	grep -qF -- "$2" "$1" || {
		echo "--- $1:" >&2
		head -40 "$1" >&2
		t_fail "'$2' not found in $1"
	}
}

expect_not_in() {
	T_CHECKS=$((T_CHECKS + 1))
	! grep -qF -- "$2" "$1" || t_fail "'$2' unexpectedly found in $1"
}

finish() {
	echo "$T_CHECKS checks passed"
	exit 0
}
