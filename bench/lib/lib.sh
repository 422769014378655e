# lib.sh - what the bench scripts share (POSIX sh; bash scripts use it too).
#
#	HERE=$(cd "$(dirname "$0")" && pwd)
#	. "$HERE/../lib/lib.sh"
#	bench_build "$1"            # BUILD, absolute (ROOT: the repository)
#	bench_need flite cc         # exits naming the first tool missing
#	bench_cc "$WORK/x" "$HERE/x_bench.c"   # a C helper linked against BUILD
#	field "$line" key           # the value of key=value in a line
#	calc '%.2f' "$a / $b"       # awk arithmetic
#
# Speed targets are ratios against a baseline measured in the same run.

BENCH_LIB=$(cd "$HERE/../lib" && pwd)
ROOT=$(cd "$BENCH_LIB/../.." && pwd)

bench_build() {
	BUILD=$(cd "$1" && pwd) || exit 2
}

bench_need() {
	for tool in "$@"; do
		command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
	done
}

# bench_cc OUT SRC...: SRC and bench/lib/benchlib.c linked against the
# library of BUILD (build it first), optimised.
bench_cc() {
	out=$1
	shift
	bench_need cc pkg-config
	[ -f "$BUILD/libpodcast.a" ] || { echo "build $BUILD first (ninja -C $BUILD)" >&2; exit 1; }
	# shellcheck disable=SC2046
	cc -O2 -std=gnu11 -D_GNU_SOURCE -I"$ROOT/src" -I"$BENCH_LIB" \
		-I/usr/include/x86_64-linux-gnu/sphinxbase \
		"$@" "$BENCH_LIB/benchlib.c" "$BUILD/libpodcast.a" \
		$(pkg-config --cflags --libs libavformat libavcodec libswresample \
			libavfilter libavutil pocketsphinx sphinxbase jansson libcurl \
			libxml-2.0 yaml-0.1 sqlite3 libcrypto) \
		-lstemmer -lbacktrace -lflite_cmulex -lflite -lm -lpthread -o "$out"
}

field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

calc() { awk "BEGIN { printf \"$1\", $2 }"; }
