# http.sh - the bench scripts that serve a feed from the loopback test
# server (bash; needs lib.sh's bench_build first).
#
#	bench_http_setup NAME       # PS, TESTSERVER, WORK (/tmp/pc_bench_NAME.*), SITE
#	...write $SITE/feed.xml and the files it names...
#	bench_http_serve --latency-ms 50
#	bench_vs_curl REPEATS N t vtt [podcast_scraper options...]
#	                            # best_ours, best_curl: best times of each

bench_http_setup() {
	PS=$BUILD/podcast_scraper
	export TESTSERVER=$BUILD/tests/server/testserver
	[ -x "$PS" ] && [ -x "$TESTSERVER" ] || { echo "build $BUILD first" >&2; exit 1; }
	WORK=$(mktemp -d "/tmp/pc_bench_$1.XXXXXX")
	. "$ROOT/tests/lib/server.sh"
	SITE=$WORK/site
	mkdir -p "$SITE"
}

# bench_http_serve [testserver options]: serves SITE until the script ends,
# then removes WORK.
bench_http_serve() {
	server_start "$SITE" "$@"
	trap 'server_stop; rm -rf "$WORK"' EXIT
}

bench_now() { date +%s.%N; }

# bench_secs T0 T1: seconds from T0 to T1
bench_secs() { awk -v a="$1" -v b="$2" 'BEGIN { print b - a }'; }

# bench_min A [B]: the smaller of A and B (A when B is empty)
bench_min() { awk -v a="$1" -v b="${2:-$1}" 'BEGIN { print (a < b ? a : b) }'; }

# bench_curl N DIR EXT: `xargs -P 8 curl -s -o` of $SERVER_URL/DIR/1.EXT ..
# N.EXT into $WORK/curl.
bench_curl() {
	local i
	mkdir -p "$WORK/curl"
	for ((i = 1; i <= $1; i++)); do
		printf '%s\n%s\n' "$WORK/curl/$i.$3" "$SERVER_URL/$2/$i.$3"
	done | xargs -P 8 -n 2 curl -s -o
}

# bench_vs_curl REPEATS N DIR EXT [OPTION...]: REPEATS times, podcast_scraper
# with 8 workers and OPTIONs on the served feed into $WORK/ours, then the
# curl baseline (bench_need curl) on the same N files; prints each run and sets best_ours and
# best_curl.
bench_vs_curl() {
	local reps=$1 n=$2 dir=$3 ext=$4 r t0 t1 t2 ours base
	shift 4
	best_ours= best_curl=
	for ((r = 1; r <= reps; r++)); do
		rm -rf "$WORK/ours" "$WORK/curl"
		t0=$(bench_now)
		"$PS" "$SERVER_URL/feed.xml" --output-dir "$WORK/ours" --workers 8 --quiet "$@" \
			2>"$WORK/ours.err" || { cat "$WORK/ours.err" >&2; exit 1; }
		t1=$(bench_now)
		bench_curl "$n" "$dir" "$ext"
		t2=$(bench_now)
		ours=$(bench_secs "$t0" "$t1")
		base=$(bench_secs "$t1" "$t2")
		printf 'run %d: podcast_scraper %.2fs, xargs -P 8 curl %.2fs\n' "$r" "$ours" "$base"
		best_ours=$(bench_min "$ours" "$best_ours")
		best_curl=$(bench_min "$base" "$best_curl")
	done
}
