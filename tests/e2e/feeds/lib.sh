# lib.sh - what the feed end-to-end tests share: the assertion helpers, the
# test server, and generators for feeds and transcripts written into the
# test's own temporary folder.
#
#	. "$TEST_SRCDIR/e2e/feeds/lib.sh"
#	site_start                      # $SITE = docroot, server up, $SERVER_URL
#	site_feed                       # the same, in $T_WORK, with $SITE/t and $F
#	feed_open "$SITE/feed.xml"
#	feed_item "$SITE/feed.xml" --title "Ep 1" --guid g1 --date 2026-01-05 \
#		--transcript t/1.vtt text/vtt
#	feed_close "$SITE/feed.xml"
#	make_vtt 3 "one" > "$SITE/t/1.vtt"
#	verify outputs DIR ...          # python3 checks, see verify.py

. "$TEST_SRCDIR/lib/assert.sh"
. "$TEST_SRCDIR/lib/server.sh"
FEEDS_LIB=$TEST_SRCDIR/e2e/feeds
export LC_ALL=C.UTF-8

site_start() {
	SITE=$T_WORK/site
	mkdir -p "$SITE"
	server_start "$SITE" "$@" || t_fail "test server did not start"
	# server_start replaced the EXIT trap of assert.sh: keep both jobs
	trap 'server_stop; rm -rf "$T_WORK"' EXIT
}

# site_feed: site_start, then the test works in $T_WORK with $SITE/t for
# transcripts and F=$SITE/feed.xml for its feed.
site_feed() {
	site_start "$@"
	cd "$T_WORK"
	mkdir -p "$SITE/t"
	F=$SITE/feed.xml
}

verify() {
	T_CHECKS=$((T_CHECKS + 1))
	python3 "$FEEDS_LIB/verify.py" "$@" || t_fail "verify $1 failed"
}

# xesc TEXT: TEXT escaped for XML character data and attributes
xesc() {
	local s=$1
	# quoted replacements: bash 5.2 gives an unquoted & a meaning there
	s=${s//&/"&amp;"}
	s=${s//</"&lt;"}
	s=${s//>/"&gt;"}
	s=${s//\"/"&quot;"}
	printf '%s' "$s"
}

# entity_bomb ROOT: the prolog of a "billion laughs" document whose root is
# ROOT; entity &j; would expand to 10^9 "lol"s.  The caller adds the body.
entity_bomb() {
	local prev=a e
	printf '<?xml version="1.0"?>\n<!DOCTYPE %s [\n <!ENTITY a "lollollollollollollollollollol">\n' "$1"
	for e in b c d e f g h i j; do
		printf ' <!ENTITY %s "%s">\n' "$e" "$(printf "&$prev;%.0s" {1..10})"
		prev=$e
	done
	printf ']>\n'
}

feed_open() {
	cat >"$1" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
     xmlns:podcast="https://podcastindex.org/namespace/1.0">
<channel>
<title>$(xesc "${2:-Test Feed}")</title>
<link>https://example.org/show</link>
<description>A feed made by a test.</description>
<language>en</language>
XML
}

# feed_item FILE [--title T] [--guid G] [--date YYYY-MM-DD]
#	[--transcript URL TYPE]... [--enclosure URL TYPE]
feed_item() {
	local f=$1 title= guid= date= extra=
	shift
	while [ $# -gt 0 ]; do
		case $1 in
		--title) title=$2; shift 2 ;;
		--guid) guid=$2; shift 2 ;;
		--date) date=$2; shift 2 ;;
		--transcript)
			extra+="<podcast:transcript url=\"$(xesc "$2")\" type=\"$3\"/>"$'\n'
			shift 3 ;;
		--enclosure)
			extra+="<enclosure url=\"$(xesc "$2")\" type=\"$3\" length=\"0\"/>"$'\n'
			shift 3 ;;
		*) t_fail "feed_item: unknown argument $1" ;;
		esac
	done
	{
		echo "<item>"
		[ -n "$title" ] && echo "<title>$(xesc "$title")</title>"
		[ -n "$guid" ] && echo "<guid isPermaLink=\"false\">$(xesc "$guid")</guid>"
		[ -n "$date" ] && echo "<pubDate>$(date -u -d "$date 09:00" '+%a, %d %b %Y %H:%M:%S GMT')</pubDate>"
		printf '%s' "$extra"
		echo "</item>"
	} >>"$f"
}

feed_close() {
	printf '</channel>\n</rss>\n' >>"$1"
}

# Transcript generators: make_FORMAT CUES TAG writes a transcript with CUES
# cues whose text mentions TAG, so every episode's text is its own.
make_vtt() {
	local i
	printf 'WEBVTT\n\n'
	for ((i = 0; i < $1; i++)); do
		printf '00:00:%02d.000 --> 00:00:%02d.500\n<v Host>%s line %d of the show.\n\n' \
			$((i % 60)) $((i % 60)) "$2" "$i"
	done
}

make_srt() {
	local i
	for ((i = 0; i < $1; i++)); do
		printf '%d\n00:00:%02d,000 --> 00:00:%02d,500\n%s subtitle %d.\n\n' \
			$((i + 1)) $((i % 60)) $((i % 60)) "$2" "$i"
	done
}

make_json() {
	local i sep=
	printf '{"version": "1.0.0", "segments": ['
	for ((i = 0; i < $1; i++)); do
		printf '%s\n {"speaker": "Guest", "startTime": %d.0, "endTime": %d.5, "body": "%s json %d."}' \
			"$sep" "$i" "$i" "$2" "$i"
		sep=,
	done
	printf '\n]}\n'
}

make_html() {
	local i
	printf '<!DOCTYPE html>\n<html><head><title>Transcript</title></head><body>\n'
	for ((i = 0; i < $1; i++)); do
		printf '<p><b>Host:</b> %s paragraph %d &amp; more.</p>\n' "$2" "$i"
	done
	printf '</body></html>\n'
}

make_txt() {
	local i
	for ((i = 0; i < $1; i++)); do
		printf '%s plain line %d.\n' "$2" "$i"
	done
}

# Requests in the server log whose target matches the regex (a count).
requests_matching() {
	grep -cE "^GET $1 " "$SERVER_LOG" || true
}

# Empties the server log between runs of one test.
requests_reset() {
	: >"$SERVER_LOG"
}

# The last line of the run's stderr.
last_err_line() {
	tail -n 1 "$T_WORK/err"
}

expect_done_last() {
	T_CHECKS=$((T_CHECKS + 1))
	last_err_line | grep -qE '^Done\. feeds=[0-9]+ .* in [0-9]+\.[0-9]s$' || {
		tail -5 "$T_WORK/err" >&2
		t_fail "the last stderr line is not the Done. summary"
	}
}

# expect_summary KEY=VALUE...: fields of the Done. line
expect_summary() {
	local kv
	for kv in "$@"; do
		T_CHECKS=$((T_CHECKS + 1))
		last_err_line | grep -qE "(^| |\()${kv}[ ,)]" || {
			last_err_line >&2
			t_fail "summary line lacks $kv"
		}
	done
}
