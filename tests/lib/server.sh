# server.sh - run the loopback test server from a shell test.
#
#	. "$TEST_SRCDIR/lib/server.sh"
#	server_start "$docroot" [--latency-ms N]   # exports SERVER_URL, SERVER_PID,
#	                                           # SERVER_PORT, SERVER_LOG
#	curl -s "$SERVER_URL/feed.xml?fail=1"
#	server_requests                            # the request log, a line each:
#	                                           # METHOD TARGET RANGE STATUS
#
# The binary comes from $TESTSERVER (meson sets it in the test environment).
# server_start installs an EXIT trap that stops the server; a test with its
# own EXIT trap calls server_stop from it.  See tests/server/testserver.c for
# the query parameters that make the server misbehave.

server_start() {
	local root=$1 i
	shift
	if [ -z "${TESTSERVER:-}" ] || [ ! -x "$TESTSERVER" ]; then
		echo "server_start: \$TESTSERVER is not an executable" >&2
		return 1
	fi
	SERVER_DIR=$(mktemp -d "${TMPDIR:-/tmp}/testserver.XXXXXX") || return 1
	SERVER_LOG=$SERVER_DIR/requests.log
	"$TESTSERVER" --root "$root" --port-file "$SERVER_DIR/port" \
		--log "$SERVER_LOG" "$@" &
	SERVER_PID=$!
	trap server_stop EXIT
	for ((i = 0; i < 1000; i++)); do
		[ -s "$SERVER_DIR/port" ] && break
		if ! kill -0 "$SERVER_PID" 2>/dev/null; then
			echo "server_start: testserver exited early" >&2
			return 1
		fi
		sleep 0.01
	done
	if [ ! -s "$SERVER_DIR/port" ]; then
		echo "server_start: testserver did not come up" >&2
		return 1
	fi
	SERVER_PORT=$(<"$SERVER_DIR/port")
	SERVER_URL=http://127.0.0.1:$SERVER_PORT
	export SERVER_URL SERVER_PID SERVER_PORT SERVER_LOG
}

server_requests() {
	cat "$SERVER_LOG"
}

server_stop() {
	if [ -n "${SERVER_PID:-}" ]; then
		kill "$SERVER_PID" 2>/dev/null
		wait "$SERVER_PID" 2>/dev/null
		SERVER_PID=
	fi
	if [ -n "${SERVER_DIR:-}" ]; then
		rm -rf "$SERVER_DIR"
		SERVER_DIR=
	fi
}
