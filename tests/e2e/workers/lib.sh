# lib.sh - what the worker end-to-end tests share: the feed helpers of the
# feed tests, episodes with real speech, and checks on a run's outputs.
#
#	. "$TEST_SRCDIR/e2e/workers/lib.sh"
#	site_start                       # $SITE, $SERVER_URL (from feeds/lib.sh)
#	text_feed "$SITE/feed.xml" 3     # episodes w1..w3 with published transcripts
#	feed_close "$SITE/feed.xml"      # (more feed_item calls may come first)
#	say "$SITE/a.wav" "Hello there." # speech made with flite
#	wcheck episode OUT GUID processing.attempts=2 ...   # see check.py
#	worker_of PID STAGE              # pid of a worker child of PID, or nothing
#	wait_worker PID STAGE            # the same, waiting for it to start

. "$TEST_SRCDIR/e2e/feeds/lib.sh"
WORKERS_LIB=$TEST_SRCDIR/e2e/workers

# Sentences for transcripts: distinct per episode, long enough to summarize.
episode_text() {
	local n=$1
	cat <<TXT
Episode $n opens with the news from the harbour town of Port $n.
The fishing fleet of Port $n came back early because of the storm warnings.
Engineers explained how the new sea wall number $n protects the old market.
A listener asked whether the ferry to the island will run every day this summer.
The mayor said the budget for the library grows by $n percent next year.
Scientists measured the water temperature at $n different places along the coast.
The episode ends with a song recorded at the village festival last weekend.
TXT
}

# text_feed FILE N [QUERY]: N episodes w1..wN, each with a plain-text
# transcript (its URL with ?QUERY, e.g. delay_ms=500, for the test server).
text_feed() {
	local f=$1 n=$2 q=${3:+?$3} i
	mkdir -p "$(dirname "$f")/t"
	feed_open "$f" "Harbour News"
	for ((i = 1; i <= n; i++)); do
		episode_text "$i" >"$(dirname "$f")/t/$i.txt"
		feed_item "$f" --title "Harbour episode $i" --guid "w$i" \
			--date "2026-03-$(printf %02d "$i")" --transcript "t/$i.txt$q" text/plain
	done
}

# say FILE TEXT: TEXT spoken into a 16 kHz WAV file.
say() {
	flite -voice slt -t "$2" -o "$1" || t_fail "flite could not make $1"
}

wcheck() {
	T_CHECKS=$((T_CHECKS + 1))
	python3 "$WORKERS_LIB/check.py" "$@" || t_fail "check.py $*"
}

# worker_of PID STAGE: the pid of PID's worker process for STAGE, if any
# (workers show as "podcast_scraper worker STAGE --config-fd N ...").
worker_of() {
	pgrep -P "$1" -f "podcast_scraper worker $2 " | head -n 1
}

# wait_worker PID STAGE: waits (up to ~30 s) for that worker; prints its pid.
wait_worker() {
	local i w
	for ((i = 0; i < 3000; i++)); do
		w=$(worker_of "$1" "$2")
		[ -n "$w" ] && { echo "$w"; return 0; }
		kill -0 "$1" 2>/dev/null || return 1
		sleep 0.01
	done
	return 1
}

# env_of PID VAR: the value of VAR in the environment of process PID.
env_of() {
	tr '\0' '\n' <"/proc/$1/environ" | sed -n "s/^$2=//p"
}

# The exit status must never say the main process died by a signal.
expect_no_signal() {
	T_CHECKS=$((T_CHECKS + 1))
	[ "$T_STATUS" -lt 128 ] || {
		tail -40 "$T_WORK/err" >&2
		t_fail "the main process ended by signal $((T_STATUS - 128))"
	}
}

# run_bg NAME ARGS...: runs the binary in the background, its output in
# $T_WORK/NAME.{out,err,status}.  run_wait NAME waits for it and makes it
# the current run for expect_status, expect_in "$T_WORK/err", ...
declare -A BG_PIDS
run_bg() {
	local name=$1
	shift
	(
		set +e
		"$PODCAST_SCRAPER" "$@" >"$T_WORK/$name.out" 2>"$T_WORK/$name.err"
		echo $? >"$T_WORK/$name.status"
	) &
	BG_PIDS[$name]=$!
}

run_wait() {
	wait "${BG_PIDS[$1]}" || true
	T_STATUS=$(<"$T_WORK/$1.status")
	cp "$T_WORK/$1.out" "$T_WORK/out"
	cp "$T_WORK/$1.err" "$T_WORK/err"
}
