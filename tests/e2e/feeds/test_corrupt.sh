#!/usr/bin/env bash
# A state.sqlite with corrupted pages is refused when the folder is opened,
# before anything is downloaded, with the file and --rebuild-state named;
# --rebuild-state moves it aside and rebuilds it from the metadata on disk,
# so the finished episodes are skipped, not downloaded again.
set -e
. "$TEST_SRCDIR/e2e/feeds/lib.sh"
site_start
cd "$T_WORK"

N=8
mkdir -p "$SITE/t"
F=$SITE/feed.xml
feed_open "$F" "Corrupted"
for ((i = 1; i <= N; i++)); do
	make_vtt 5 "ep $i" >"$SITE/t/$i.vtt"
	feed_item "$F" --title "Corrupted episode $i" --guid "c-$i" --date 2026-04-0$i \
		--transcript "t/$i.vtt" text/vtt
done
feed_close "$F"
URL=$SERVER_URL/feed.xml

run_ps "$URL" --output-dir fd
expect_status 0
expect_summary episodes=$N failed=0
check "the database spans at least 3 pages" test "$(stat -c %s fd/state.sqlite)" -ge 12288
check "the database is sound before the damage" \
	test "$(sqlite3 fd/state.sqlite 'PRAGMA integrity_check')" = ok

# Damage pages 2 and 3 (page 1, the header, stays intact).
head -c 8192 /dev/zero | tr '\0' 'Z' | dd of=fd/state.sqlite bs=4096 seek=1 conv=notrunc status=none
check "the damage is real" test "$(sqlite3 fd/state.sqlite 'PRAGMA quick_check' 2>&1)" != ok
cp fd/state.sqlite damaged.sqlite

before=$(server_requests | wc -l)
run_ps "$URL" --output-dir fd
expect_status 1
expect_in "$T_WORK/err" "state database 'fd/state.sqlite' is corrupted"
expect_in "$T_WORK/err" "--rebuild-state"
check "the refused run downloaded nothing" test "$(server_requests | wc -l)" = "$before"
check "the refused run left the file as it was" cmp -s damaged.sqlite fd/state.sqlite

before=$(server_requests | wc -l)
run_ps "$URL" --output-dir fd --rebuild-state
expect_status 0
expect_summary failed=0 skipped=$N
expect_in "$T_WORK/err" "fd/state.sqlite.corrupt-"
aside=$(ls fd/state.sqlite.corrupt-* | grep -v -- '-wal$\|-shm$' | head -1)
check "the bad file is kept aside" cmp -s damaged.sqlite "$aside"
check "no transcript downloaded again" \
	test -z "$(server_requests | tail -n +$((before + 1)) | grep '/t/')"
check "the rebuilt database is sound" \
	test "$(sqlite3 fd/state.sqlite 'PRAGMA integrity_check')" = ok
check "every episode done in the rebuilt database" \
	test "$(sqlite3 fd/state.sqlite "SELECT COUNT(*) FROM episodes WHERE status='done'")" = $N

# The next run finds a sound database and nothing to do.
run_ps "$URL" --output-dir fd
expect_status 0
expect_summary failed=0
finish
