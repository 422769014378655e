#!/usr/bin/env bash
# Incremental reruns: done episodes are skipped without a download, new ones
# picked up, failed ones retried; --force, --dry-run, --max-episodes,
# --since/--until and --clean-output.
set -e
. "$TEST_SRCDIR/e2e/feeds/lib.sh"
site_feed
write_feed() {   # write_feed N [extra items...]: episodes N..1, newest first
	local i
	feed_open "$F" "Reruns"
	for ((i = $1; i >= 1; i--)); do
		[ -f "$SITE/t/$i.vtt" ] || make_vtt 3 "episode $i" >"$SITE/t/$i.vtt"
		feed_item "$F" --title "Episode $i" --guid "ep-$i" --date "2026-01-0$i" \
			--transcript "t/$i.vtt" text/vtt
	done
	feed_close "$F"
}
digest() {   # a digest of a folder's transcripts and metadata, names and bytes
	(cd "$1" && find transcripts metadata -type f -print0 | sort -z | xargs -0 sha1sum)
}
state_rows() {
	sqlite3 "$1/state.sqlite" "SELECT status, COUNT(*) FROM episodes GROUP BY status ORDER BY status"
}

# --- first run, then a rerun that downloads nothing -----------------------
write_feed 4
run_ps "$SERVER_URL/feed.xml" --output-dir r
expect_status 0
expect_summary episodes=4 transcripts=4 "downloaded 4" skipped=0
verify outputs r "$SITE" "$SERVER_URL" 4
digest r >d1
check "state: four done" test "$(state_rows r)" = "done|4"

requests_reset
run_ps "$SERVER_URL/feed.xml" --output-dir r
expect_status 0
expect_done_last
expect_summary episodes=0 transcripts=0 "downloaded 0" failed=0 unchanged=1
check "rerun: the unchanged feed cost one 304" test "$(server_requests)" = "GET /feed.xml - 304"
expect_in "$T_WORK/err" "not modified since the last run (HTTP 304)"
digest r >d2
check "rerun left every file as it was" cmp d1 d2
check "no run recorded for an unchanged feed" test "$(ls r/runs | wc -l)" = 1

# --- a new episode is picked up, the others still skipped ------------------
write_feed 5
requests_reset
run_ps "$SERVER_URL/feed.xml" --output-dir r
expect_status 0
expect_summary episodes=5 transcripts=1 skipped=4
check "only the new transcript fetched" \
	test "$(server_requests | grep -v '^GET /feed.xml ')" = "GET /t/5.vtt - 200"
verify outputs r "$SITE" "$SERVER_URL" 5
verify index r ok=1 skipped=4
names_of() {   # names_of DIGEST I: the file names of episode I in a digest
	awk '{print $2}' "$1" | grep "_Episode_${2}_"
}
digest r >dgrown
for i in 1 2 3 4; do
	check "stem of episode $i kept as the feed grew" \
		test -n "$(names_of d1 $i)" -a "$(names_of dgrown $i)" = "$(names_of d1 $i)"
done

# --- --force redoes everything, to the same files -------------------------
digest r >d3
requests_reset
run_ps "$SERVER_URL/feed.xml" --output-dir r --force
expect_status 0
expect_summary episodes=5 transcripts=5 skipped=0
check "force fetched every transcript" test "$(requests_matching '/t/[0-9]+\.vtt')" = 5
verify outputs r "$SITE" "$SERVER_URL" 5
check "force rewrote the same names" \
	test "$(digest r | awk '{print $2}')" = "$(awk '{print $2}' d3)"
check "state: five done, no duplicates" test "$(state_rows r)" = "done|5"

# --- an edited title renames nothing, even with --force ---------------------
sed -i 's#<title>Episode 3</title>#<title>Episode 3 (remastered)</title>#' "$F"
run_ps "$SERVER_URL/feed.xml" --output-dir r --force
expect_status 0
expect_summary episodes=5 transcripts=5
check "same file names after a title edit" \
	test "$(digest r | awk '{print $2}')" = "$(awk '{print $2}' d3)"
verify json "$(echo r/metadata/*_Episode_3_*.metadata.json)" episode.title="Episode 3 (remastered)"
verify outputs r "$SITE" "$SERVER_URL" 5

# --- a failed episode is retried by the next run ---------------------------
write_feed 5
sed -i 's#</channel>#<item><title>Episode 6</title><guid>ep-6</guid><pubDate>Tue, 06 Jan 2026 09:00:00 GMT</pubDate><podcast:transcript url="t/6.vtt" type="text/vtt"/></item>\n&#' "$F"
requests_reset
run_ps "$SERVER_URL/feed.xml" --output-dir r
expect_status 3
expect_done_last
expect_summary episodes=6 transcripts=0 failed=1 skipped=5
verify index r failed=1 skipped=5
check "failure recorded in the index" \
	python3 -c 'import json,sys; r=[x for x in json.load(open(sys.argv[1]))["episodes"] if x["status"]=="failed"]; sys.exit(not (r[0]["episode_id"]=="ep-6" and "404" in r[0]["error_message"]))' \
	"$(ls -t r/runs/*/index.json | head -1)"
check "state: ep-6 failed" test "$(sqlite3 r/state.sqlite "SELECT status FROM episodes WHERE episode_id='ep-6'")" = failed
make_vtt 2 "episode 6" >"$SITE/t/6.vtt"
requests_reset
run_ps "$SERVER_URL/feed.xml" --output-dir r
expect_status 0
expect_summary episodes=6 transcripts=1 failed=0 skipped=5
check "only ep-6 retried" test "$(server_requests | grep -v '^GET /feed.xml ')" = "GET /t/6.vtt - 200"
verify outputs r "$SITE" "$SERVER_URL" 6
check "state: six done, attempts kept" \
	test "$(sqlite3 r/state.sqlite "SELECT status, attempts FROM episodes WHERE episode_id='ep-6'")" = "done|2"

# --- --dry-run writes nothing and downloads no transcript ------------------
touch marker
requests_reset
run_ps "$SERVER_URL/feed.xml" --output-dir dry --dry-run
expect_status 0
expect_done_last
check "dry run made no folder" test ! -e dry
check "dry run fetched only the feed" test "$(server_requests)" = "GET /feed.xml - 200"
run_ps "$SERVER_URL/feed.xml" --output-dir r --dry-run --force
expect_status 0
check "dry run touched nothing in an existing folder" \
	test -z "$(find r -newer marker)"

# --- selection: --max-episodes, --since/--until ----------------------------
# (the feed reads 5, 4, 3, 2, 1, 6: episode 6 was appended last)
run_ps "$SERVER_URL/feed.xml" --output-dir max --max-episodes 2
expect_status 0
expect_summary episodes=2 transcripts=2
verify outputs max "$SITE" "$SERVER_URL" 2
check "the first two in feed order" test "$(ls max/metadata | sed 's/_[0-9a-f]*\.metadata\.json//' | tr '\n' ' ')" = \
	"2026-01-04_Episode_4 2026-01-05_Episode_5 "
run_ps "$SERVER_URL/feed.xml" --output-dir window --since 2026-01-02 --until 2026-01-03
expect_status 0
expect_summary episodes=2 transcripts=2
check "since/until inclusive" test "$(ls window/metadata | sed 's/_[0-9a-f]*\.metadata\.json//' | tr '\n' ' ')" = \
	"2026-01-02_Episode_2 2026-01-03_Episode_3 "
run_ps "$SERVER_URL/feed.xml" --output-dir late --since 2027-01-01
expect_status 0
expect_summary episodes=0 transcripts=0 failed=0

# --- --clean-output starts over -------------------------------------------
echo stale >r/transcripts/2020-01-01_Stale_abcdef.txt
requests_reset
run_ps "$SERVER_URL/feed.xml" --output-dir r --clean-output
expect_status 0
expect_summary episodes=6 transcripts=6 skipped=0
check "clean output re-downloaded everything" test "$(requests_matching '/t/[0-9]+\.vtt')" = 6
check "stale file gone" test ! -e r/transcripts/2020-01-01_Stale_abcdef.txt
check "one run left" test "$(ls r/runs | wc -l)" = 1
check "state rebuilt" test "$(state_rows r)" = "done|6"
verify outputs r "$SITE" "$SERVER_URL" 6
# a folder that is not ours is never cleaned
mkdir -p notours && echo precious >notours/thesis.tex
run_ps "$SERVER_URL/feed.xml" --output-dir notours --clean-output
expect_status 1
expect_in "$T_WORK/err" "notours"
check "foreign file kept" test "$(cat notours/thesis.tex)" = precious

# --- an output folder that cannot be written is exit 1, naming it ----------
# root ignores file modes, so as root the folder is made read-only by a
# read-only bind mount in a private mount namespace instead.
run_ps_readonly() {   # run_ps_readonly DIR ARGS...: run with DIR not writable
	local dir=$1
	shift
	chmod a-w "$dir"
	if [ "$(id -u)" = 0 ]; then
		run_ps_in_ns() {
			unshare -m sh -c 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" &&
				shift && exec "$@"' sh "$dir" "$PODCAST_SCRAPER" "$@"
		}
		set +e
		run_ps_in_ns "$@" >"$T_WORK/out" 2>"$T_WORK/err"
		T_STATUS=$?
		set -e
	else
		run_ps "$@"
	fi
	chmod u+w "$dir"
}
mkdir ro
run_ps_readonly ro "$SERVER_URL/feed.xml" --output-dir ro
expect_status 1
expect_done_last
expect_in "$T_WORK/err" "ro"
check "the error gives the reason" grep -qiE "read-only|permission denied" "$T_WORK/err"
check "nothing written in the read-only folder" test -z "$(ls -A ro)"
finish
