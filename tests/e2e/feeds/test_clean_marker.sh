#!/usr/bin/env bash
# --clean-output deletes only in folders marked ours (a state.sqlite with our
# schema) and only what we wrote: a user's media/precious.mp3 survives both a
# refused clean of an unmarked folder and a clean of one of our folders.
set -e
. "$TEST_SRCDIR/e2e/feeds/lib.sh"
site_start
cd "$T_WORK"

mkdir -p "$SITE/t" "$SITE/m"
F=$SITE/feed.xml
feed_open "$F" "Cleaned"
for i in 1 2 3; do
	make_vtt 5 "ep $i" >"$SITE/t/$i.vtt"
	head -c 3000 /dev/zero | tr '\0' 'A' >"$SITE/m/$i.mp3"
	feed_item "$F" --title "Cleaned episode $i" --guid "cl-$i" --date 2026-05-0$i \
		--transcript "t/$i.vtt" text/vtt --enclosure "m/$i.mp3" audio/mpeg
done
feed_close "$F"
URL=$SERVER_URL/feed.xml

# A folder with only media/ and runs/ (no marker) is refused, nothing deleted.
mkdir -p user/media user/runs/old
echo precious >user/media/precious.mp3
echo mine >user/runs/old/notes.txt
run_ps "$URL" --output-dir user --clean-output
expect_status 1
expect_in "$T_WORK/err" "refusing to clean 'user'"
expect_in "$T_WORK/err" "nothing was deleted"
check "precious.mp3 kept" test "$(cat user/media/precious.mp3)" = precious
check "runs/old kept" test "$(cat user/runs/old/notes.txt)" = mine

# A state.sqlite that is not ours is no marker either.
mkdir -p other/media
echo precious >other/media/precious.mp3
sqlite3 other/state.sqlite 'CREATE TABLE t(x); PRAGMA user_version = 77;'
run_ps "$URL" --output-dir other --clean-output
expect_status 1
expect_in "$T_WORK/err" "refusing to clean 'other'"
check "precious.mp3 kept beside a foreign state.sqlite" \
	test "$(cat other/media/precious.mp3)" = precious
check "the foreign state.sqlite kept" test -e other/state.sqlite

# Our folder: the clean removes our media and outputs, not the user's file.
run_ps "$URL" --output-dir ours --download-media
expect_status 0
check "our run kept its media" test "$(ls ours/media | wc -l)" = 3
echo precious >ours/media/precious.mp3
echo stale >ours/transcripts/stale.txt
run_ps "$URL" --output-dir ours --clean-output
expect_status 0
expect_summary failed=0
check "precious.mp3 kept in our folder" test "$(cat ours/media/precious.mp3)" = precious
check "our old media deleted" test "$(ls ours/media)" = precious.mp3
check "our stale transcript deleted" test ! -e ours/transcripts/stale.txt
check "the state was made anew" \
	test "$(sqlite3 ours/state.sqlite "SELECT COUNT(*) FROM episodes WHERE status='done'")" = 3
finish
