#!/bin/bash
# The test server and tests/lib/server.sh behave as documented in testserver.c.
set -eu
. "$(dirname "$0")/../lib/server.sh"
command -v curl >/dev/null || { echo "curl not installed: skipping"; exit 77; }

fail() { echo "FAIL: $*" >&2; server_requests >&2; exit 1; }
root=$(mktemp -d "${TMPDIR:-/tmp}/testserver_root.XXXXXX")
trap 'server_stop; rm -rf "$root"' EXIT
printf '0123456789' > "$root/ten.mp3"
printf '<rss/>' > "$root/feed.xml"
server_start "$root"
trap 'server_stop; rm -rf "$root"' EXIT

# content types by extension, and the override
ct=$(curl -s -o /dev/null -w '%{content_type}' "$SERVER_URL/feed.xml")
[ "$ct" = application/rss+xml ] || fail "feed.xml served as $ct"
ct=$(curl -s -o /dev/null -w '%{content_type}' "$SERVER_URL/feed.xml?content_type=text/xml")
[ "$ct" = text/xml ] || fail "content_type override gave $ct"

# ranges
body=$(curl -s -r 3- "$SERVER_URL/ten.mp3")
[ "$body" = 3456789 ] || fail "range 3- gave '$body'"
code=$(curl -s -o /dev/null -w '%{http_code}' -r 20- "$SERVER_URL/ten.mp3")
[ "$code" = 416 ] || fail "range past the end gave $code"
body=$(curl -s -r 3- "$SERVER_URL/ten.mp3?no_range=1")
[ "$body" = 0123456789 ] || fail "no_range gave '$body'"

# fail=N counts per target; status and Retry-After
for want in 503 503 200; do
	code=$(curl -s -o /dev/null -w '%{http_code}' "$SERVER_URL/ten.mp3?fail=2&status=503")
	[ "$code" = "$want" ] || fail "fail=2 gave $code, wanted $want"
done
hdrs=$(curl -s -D - -o /dev/null "$SERVER_URL/ten.mp3?status=429&retry_after=7")
grep -qi '^retry-after: 7' <<<"$hdrs" || fail "no Retry-After in: $hdrs"

# redirects, loops, missing files
body=$(curl -s -L "$SERVER_URL/x?redirect=/ten.mp3")
[ "$body" = 0123456789 ] || fail "redirect gave '$body'"
code=$(curl -s -o /dev/null -w '%{http_code}' -L --max-redirs 3 "$SERVER_URL/x?redirect_loop=1" || true)
[ "$code" = 302 ] || fail "redirect loop ended with $code"
code=$(curl -s -o /dev/null -w '%{http_code}' "$SERVER_URL/missing.txt")
[ "$code" = 404 ] || fail "missing file gave $code"
code=$(curl -s -o /dev/null -w '%{http_code}' --path-as-is "$SERVER_URL/../etc/passwd")
[ "$code" = 403 ] || [ "$code" = 404 ] || fail "path escape gave $code"

# wait_for holds the reply until the file exists
curl -s -o "$root/held" "$SERVER_URL/ten.mp3?wait_for=go" &
held=$!
sleep 0.3
[ ! -s "$root/held" ] || fail "wait_for replied before the file existed"
kill -0 "$held" 2>/dev/null || fail "wait_for request ended before the file existed"
touch "$root/go"
wait "$held" || fail "the held request failed"
[ "$(cat "$root/held")" = 0123456789 ] || fail "wait_for gave '$(cat "$root/held")'"

# cut-offs: close_after only the first time, truncate every time
body=$(curl -s "$SERVER_URL/ten.mp3?close_after=4" || true)
[ "$body" = 0123 ] || fail "close_after=4 gave '$body'"
body=$(curl -s "$SERVER_URL/ten.mp3?close_after=4")
[ "$body" = 0123456789 ] || fail "second close_after request gave '$body'"
for i in 1 2; do
	if curl -s -o /dev/null "$SERVER_URL/ten.mp3?truncate=2"; then
		fail "truncate=2 looked complete"
	fi
done

# gzip and the POST route table
body=$(curl -s --compressed "$SERVER_URL/feed.xml?gzip=1")
[ "$body" = '<rss/>' ] || fail "gzip gave '$body'"
body=$(curl -s -H 'Content-Type: text/plain' --data-binary hello "$SERVER_URL/echo")
[ "$body" = hello ] || fail "POST /echo gave '$body'"

# the request log
server_requests | grep -qx 'GET /ten.mp3 bytes=3- 206' || fail "range not logged"
server_requests | grep -qx 'GET /ten.mp3?fail=2&status=503 - 200' || fail "fail not logged"
server_requests | grep -qx 'POST /echo - 200' || fail "POST not logged"
echo ok
