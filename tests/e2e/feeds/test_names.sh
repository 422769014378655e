#!/usr/bin/env bash
# Hostile and exotic titles: every file lands inside transcripts/ or
# metadata/, stems are DATE_TITLE_ID6 with a title part of at most 80 bytes
# cut on a character boundary, names are valid UTF-8, scripts are kept.
set -e
. "$TEST_SRCDIR/e2e/feeds/lib.sh"
site_start
cd "$T_WORK"

mkdir -p "$SITE/t"
make_vtt 2 "named" >"$SITE/t/a.vtt"
long="x$(printf 'é%.0s' {1..1000})"           # 2 KB, two-byte characters at odd offsets
exact="$(printf 'a%.0s' {1..80})"              # exactly the 80-byte limit: kept whole
over="$(printf 'b%.0s' {1..81})"               # one byte over: cut to 80
titles=(
	"a/b/../../etc/passwd"
	".."
	"../../.."
	"/absolute/path"
	"$long"
	"$exact"
	"$over"
	"🎙️ Podcast 🎧 Night"
	$'مرحبا بالعالم \u202eevil\u202c'
	".hidden dot file"
	'bad \ : * ? " < > | chars'
	$'tab\tand\nnewline'
	"日本語のタイトル"
	"Same title"
	"Same title"
)
F=$SITE/names.xml
feed_open "$F" "Names"
for i in "${!titles[@]}"; do
	feed_item "$F" --title "${titles[$i]}" --guid "guid-$i" --date 2026-03-02 \
		--transcript t/a.vtt text/vtt
done
feed_close "$F"
touch before
mkdir res
run_ps "$SERVER_URL/names.xml" --output-dir res/feed
expect_status 0
expect_done_last
expect_summary episodes=${#titles[@]} transcripts=${#titles[@]} failed=0
verify outputs res/feed "$SITE" "$SERVER_URL" ${#titles[@]}
verify names res/feed 80

# nothing was written outside the feed folder
check "no file outside the output" \
	test -z "$(find "$T_WORK" -mindepth 1 -newer before -not -path "$T_WORK/res/feed*" \
		-not -path "$T_WORK/site*" -not -name out -not -name err -not -path "$T_WORK/res")"
check "no escape to /etc under the work dir" test ! -e "$T_WORK/etc"
check "transcripts/ holds files only" test -z "$(find res/feed/transcripts -mindepth 1 -not -type f)"
check "metadata/ holds files only" test -z "$(find res/feed/metadata -mindepth 1 -not -type f)"

# scripts and emoji kept, path separators and bidi controls not
ls res/feed/transcripts >names
expect_in names "2026-03-02_日本語のタイトル_"
expect_in names "مرحبا_بالعالم"
expect_in names "Podcast_🎧_Night"
expect_in names "a_b_.._.._etc_passwd_"
expect_not_in names $'\u202e'
expect_not_in names $'\t'
check "untitled fallback" grep -q '^2026-03-02_untitled_[0-9a-f]\{6\}\.vtt$' names
check "the 2 KB title cut to 79 bytes on a character boundary" \
	grep -q "^2026-03-02_x$(printf 'é%.0s' {1..39})_[0-9a-f]\{6\}\.vtt$" names
check "an 80-byte title kept whole" \
	grep -q "^2026-03-02_${exact}_[0-9a-f]\{6\}\.vtt$" names
check "an 81-byte title cut to 80 bytes" \
	grep -q "^2026-03-02_${over%b}_[0-9a-f]\{6\}\.vtt$" names
check "same titles get distinct stems" \
	test "$(grep -c '^2026-03-02_Same_title_[0-9a-f]\{6\}\.vtt$' names)" = 2

# metadata keeps the titles as published
meta=$(ls res/feed/metadata/*Podcast*)
verify json "$meta" episode.title="🎙️ Podcast 🎧 Night"
meta=$(ls res/feed/metadata/*_x*)
verify json "$meta" episode.title="$long"
finish
