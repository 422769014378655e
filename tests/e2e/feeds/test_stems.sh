#!/usr/bin/env bash
# Stems are unique within a feed folder and stable across runs.  The GUIDs
# collide-5066 and collide-6885 hash to the same first 6 hex digits (185359),
# so two episodes with both the same title and date would get the same file
# names: the second one gets a longer suffix, is recorded with it, and keeps
# it in reruns and in a state rebuilt from the files; a dry run shows that
# longer stem without recording it.  A folder where an older version gave two
# episodes one stem is repaired, also when their GUIDs are URLs with a token.
# Items sharing a GUID are one episode: a warning names both, the first is
# processed.
set -e
. "$TEST_SRCDIR/e2e/feeds/lib.sh"
site_start
cd "$T_WORK"

A=collide-5066
B=collide-6885
check "the two GUIDs share their first 6 hex digits" \
	test "$(printf %s $A | sha1sum | cut -c1-6)" = "$(printf %s $B | sha1sum | cut -c1-6)"
check "and differ in the 7th" \
	test "$(printf %s $A | sha1sum | cut -c1-7)" != "$(printf %s $B | sha1sum | cut -c1-7)"
H6=$(printf %s $A | sha1sum | cut -c1-6)
H7=$(printf %s $B | sha1sum | cut -c1-7)
STEM_A=2026-03-02_Same_title_$H6
STEM_B=2026-03-02_Same_title_$H7

mkdir -p "$SITE/t"
make_vtt 3 "alpha" >"$SITE/t/a.vtt"
make_vtt 3 "bravo" >"$SITE/t/b.vtt"
make_vtt 3 "charlie" >"$SITE/t/c.vtt"
F=$SITE/feed.xml
write_feed() {   # write_feed [extra title]: the colliding pair, then maybe one more
	feed_open "$F" "Collisions"
	feed_item "$F" --title "Same title" --guid $A --date 2026-03-02 --transcript t/a.vtt text/vtt
	feed_item "$F" --title "Same title" --guid $B --date 2026-03-02 --transcript t/b.vtt text/vtt
	[ -z "${1:-}" ] || feed_item "$F" --title "$1" --guid other --date 2026-03-03 \
		--transcript t/c.vtt text/vtt
	feed_close "$F"
}
digest() {
	(cd "$1" && find transcripts metadata -type f -print0 | sort -z | xargs -0 sha1sum)
}
stem_of() {   # stem_of DIR GUID: the stem state.sqlite records
	sqlite3 "$1/state.sqlite" "SELECT stem FROM episodes WHERE episode_id='$2'"
}
# both_kept DIR: each episode has its own files with its own words
both_kept() {
	local d=$1
	check "$d: episode A's text is its own" grep -q alpha "$d/transcripts/$STEM_A.txt"
	check "$d: episode B's text is its own" grep -q bravo "$d/transcripts/$STEM_B.txt"
	check "$d: A's metadata names A" \
		grep -q "\"episode_id\": \"$A\"" "$d/metadata/$STEM_A.metadata.json"
	check "$d: B's metadata names B" \
		grep -q "\"episode_id\": \"$B\"" "$d/metadata/$STEM_B.metadata.json"
	check "$d: state maps A to its stem" test "$(stem_of "$d" $A)" = "$STEM_A"
	check "$d: state maps B to its stem" test "$(stem_of "$d" $B)" = "$STEM_B"
	check "$d: two metadata documents of the title" \
		test "$(ls "$d/metadata" | grep -c _Same_title_)" = 2
}

# --- two colliding newcomers in one run, processed at once -------------------
write_feed
run_ps "$SERVER_URL/feed.xml" --output-dir s --workers 4
expect_status 0
expect_done_last
expect_summary episodes=2 transcripts=2 "downloaded 2" failed=0
both_kept s
expect_in "$T_WORK/err" "stem '$STEM_A' belongs to another episode; its files are named '$STEM_B'"
verify outputs s "$SITE" "$SERVER_URL" 2

# --- a dry run shows the stem the real run gives, and writes nothing -------
# The folder knows A; the feed now lists only B, whose usual stem is A's.
feed_open "$F" "Collisions"
feed_item "$F" --title "Same title" --guid $A --date 2026-03-02 --transcript t/a.vtt text/vtt
feed_close "$F"
run_ps "$SERVER_URL/feed.xml" --output-dir dry
expect_status 0
feed_open "$F" "Collisions"
feed_item "$F" --title "Same title" --guid $B --date 2026-03-02 --transcript t/b.vtt text/vtt
feed_close "$F"
(cd dry && find . -type f -print0 | sort -z | xargs -0 sha1sum) >dry.before
run_ps "$SERVER_URL/feed.xml" --output-dir dry --dry-run
expect_status 0
expect_in "$T_WORK/err" "dry run: $STEM_B: download transcript"
expect_not_in "$T_WORK/err" "dry run: $STEM_A:"
(cd dry && find . -type f -print0 | sort -z | xargs -0 sha1sum) >dry.after
check "the dry run changed no file of the folder" cmp dry.before dry.after
check "nor recorded B" test -z "$(stem_of dry $B)"
run_ps "$SERVER_URL/feed.xml" --output-dir dry
expect_status 0
check "the real run names B as the dry run said" test "$(stem_of dry $B)" = "$STEM_B"
check "B's files under that stem" grep -q bravo "dry/transcripts/$STEM_B.txt"

# --- a rerun of a changed feed (no 304) does nothing to the pair -------------
digest s >d1
write_feed "Another one"
requests_reset
run_ps "$SERVER_URL/feed.xml" --output-dir s
expect_status 0
expect_summary episodes=3 transcripts=1 skipped=2 failed=0
check "only the new transcript fetched" \
	test "$(server_requests | grep -v '^GET /feed.xml ')" = "GET /t/c.vtt - 200"
digest s | grep -v _Another_one_ >d2
check "the rerun left the pair's files as they were" cmp d1 d2
both_kept s

# --- the feed in another order: recorded stems win over feed order -----------
feed_open "$F" "Collisions"
feed_item "$F" --title "Same title" --guid $B --date 2026-03-02 --transcript t/b.vtt text/vtt
feed_item "$F" --title "Same title" --guid $A --date 2026-03-02 --transcript t/a.vtt text/vtt
feed_close "$F"
run_ps "$SERVER_URL/feed.xml" --output-dir s --force
expect_status 0
expect_summary episodes=2 transcripts=2 failed=0
both_kept s

# --- --rebuild-state maps each stem back to its episode ----------------------
write_feed
head -c 8192 /dev/zero | tr '\0' 'Z' | dd of=s/state.sqlite bs=4096 seek=1 conv=notrunc status=none
check "the damage is real" test "$(sqlite3 s/state.sqlite 'PRAGMA quick_check' 2>&1)" != ok
requests_reset
run_ps "$SERVER_URL/feed.xml" --output-dir s --rebuild-state
expect_status 0
expect_summary skipped=2 failed=0
check "nothing downloaded again after the rebuild" \
	test -z "$(server_requests | grep '/t/')"
both_kept s
requests_reset
run_ps "$SERVER_URL/feed.xml" --output-dir s
expect_status 0
check "nor by the next run" test -z "$(server_requests | grep '/t/')"
both_kept s

# --- a folder where an older version gave both the same stem is repaired ------
run_ps "$SERVER_URL/feed.xml" --output-dir old
expect_status 0
rm old/transcripts/$STEM_B.* old/metadata/$STEM_B.*
cp old/transcripts/$STEM_A.txt old/a.txt
cp "$SITE/t/b.vtt" old/transcripts/$STEM_A.vtt   # B's bytes overwrote A's
sqlite3 old/state.sqlite "UPDATE episodes SET stem='$STEM_A'"
check "the unchanged feed's validators are kept" \
	test "$(sqlite3 old/state.sqlite 'SELECT COUNT(*) FROM feed_http')" = 1
requests_reset
run_ps "$SERVER_URL/feed.xml" --output-dir old
check "the feed is fetched in full to repair the folder" \
	test "$(server_requests | grep '^GET /feed.xml ')" = "GET /feed.xml - 200"
expect_status 0
expect_summary episodes=2 transcripts=2 failed=0
expect_in "$T_WORK/err" "under a stem it also gave another episode"
both_kept old
check "A's original bytes written again" cmp "$SITE/t/a.vtt" old/transcripts/$STEM_A.vtt

# --- the same repair where the GUIDs are URLs with a token -------------------
# The state keeps ids with the token hidden; the repair must still find the
# episodes in the feed, so the first of the feed keeps the stem even though
# its redacted id sorts second.
UA="https://example.org/ep/b?token=tok-1"
UB="https://example.org/ep/a?token=tok-2"
RA="https://example.org/ep/b?token=***"
RB="https://example.org/ep/a?token=***"
U=$SITE/u.xml
feed_open "$U" "Tokens"
feed_item "$U" --title "Same title" --guid "$UA" --date 2026-03-02 --transcript t/a.vtt text/vtt
feed_item "$U" --title "Same title" --guid "$UB" --date 2026-03-02 --transcript t/b.vtt text/vtt
feed_close "$U"
run_ps "$SERVER_URL/u.xml" --output-dir tok
expect_status 0
SA=$(stem_of tok "$RA")
SB=$(stem_of tok "$RB")
check "the state knows both by their redacted ids ('$SA', '$SB')" \
	test -n "$SA" -a -n "$SB" -a "$SA" != "$SB"
rm tok/transcripts/$SB.* tok/metadata/$SB.*
cp "$SITE/t/b.vtt" tok/transcripts/$SA.vtt   # B's bytes overwrote A's
sqlite3 tok/state.sqlite "UPDATE episodes SET stem='$SA'"
run_ps "$SERVER_URL/u.xml" --output-dir tok
expect_status 0
expect_summary episodes=2 transcripts=2 failed=0
check "A, first in the feed, keeps its stem" test "$(stem_of tok "$RA")" = "$SA"
check "A's files hold A's words again" cmp "$SITE/t/a.vtt" tok/transcripts/$SA.vtt
SB=$(stem_of tok "$RB")
check "B has a stem of its own ('$SB')" test -n "$SB" -a "$SB" != "$SA"
check "B's files hold B's words" grep -q bravo "tok/transcripts/$SB.txt"
check "no token in the state" test -z "$(sqlite3 tok/state.sqlite .dump | grep -e tok-1 -e tok-2)"

# --- items sharing a GUID: one warning, the first processed ------------------
G=$SITE/dup.xml
feed_open "$G" "Duplicates"
feed_item "$G" --title "First telling" --guid dup-1 --date 2026-03-04 --transcript t/a.vtt text/vtt
feed_item "$G" --title "Second telling" --guid dup-1 --date 2026-03-05 --transcript t/b.vtt text/vtt
feed_item "$G" --title "Unique" --guid uniq --date 2026-03-06 --transcript t/c.vtt text/vtt
feed_close "$G"
requests_reset
run_ps "$SERVER_URL/dup.xml" --output-dir dup
expect_status 0
expect_summary episodes=2 transcripts=2 failed=0
expect_in "$T_WORK/err" "WARN feed: feed '$SERVER_URL/dup.xml': items 1 and 2 share the GUID 'dup-1' ('First telling' and 'Second telling'); only the first is processed"
check "one warning for the one duplicate" test "$(grep -c "share the GUID" "$T_WORK/err")" = 1
check "the duplicate's transcript not fetched" test "$(requests_matching /t/b.vtt)" = 0
check "one state row for the GUID" \
	test "$(sqlite3 dup/state.sqlite "SELECT COUNT(*) FROM episodes WHERE episode_id='dup-1'")" = 1
check "the first item's files" grep -q alpha dup/transcripts/2026-03-04_First_telling_*.txt
check "none for the duplicate" test -z "$(ls dup/transcripts | grep Second_telling || true)"
finish
