#!/usr/bin/env bash
# Config files that expand past their size: YAML alias bombs, huge lists and
# huge values are refused with an error naming the file and the line, before
# anything is built from them; aliases within the limits still work.
set -e
. "$TEST_SRCDIR/lib/assert.sh"
cd "$T_WORK"
cat >feed.xml <<'XML'
<rss version="2.0"><channel><title>Local</title>
<item><title>One</title><guid>g1</guid></item></channel></rss>
XML
# The run's memory is bounded, so a loader that expanded the bomb dies
# instead of taking the machine with it (not under ASan, whose shadow
# memory needs terabytes of address space).
mem_limit=1000000
ldd "$PODCAST_SCRAPER" | grep -q libasan && mem_limit=unlimited
run_limited() {
	set +e
	(ulimit -v $mem_limit; exec "$PODCAST_SCRAPER" "$@") >"$T_WORK/out" 2>"$T_WORK/err"
	T_STATUS=$?
	set -e
}
ten_kb=$(head -c 10240 /dev/zero | tr '\0' x)

# 2,000 aliases of a 10 KB string: a 20 KB file that stands for 20 MB.
{
	printf 'dry_run: true\nknown_hosts:\n  - &a "%s"\n' "$ten_kb"
	for ((i = 0; i < 2000; i++)); do printf '  - *a\n'; done
} >bomb.yaml
run_limited --config bomb.yaml --output-dir res feed.xml
expect_status 1
expect_in "$T_WORK/err" "config 'bomb.yaml' line 105: YAML aliases expand the file to more than 1048576 bytes"
check "nothing written" test ! -e res

# Aliases nested in anchored lists multiply: counted through the nesting.
{
	printf 'l0: &l0 ["%s"]\n' "$(head -c 1000 /dev/zero | tr '\0' y)"
	for i in 1 2 3 4 5 6 7 8; do
		printf 'l%d: &l%d [*l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d]\n' \
			"$i" "$i" $((i - 1)) $((i - 1)) $((i - 1)) $((i - 1)) \
			$((i - 1)) $((i - 1)) $((i - 1)) $((i - 1))
	done
	printf 'known_hosts: *l8\n'
} >nested.yaml
run_limited --config nested.yaml feed.xml
expect_status 1
expect_in "$T_WORK/err" "config 'nested.yaml' line 5: YAML aliases expand the file"

# Many small aliases: refused by count.
{
	printf 'dry_run: true\nknown_hosts:\n  - &h Ann\n'
	for ((i = 0; i < 1001; i++)); do printf '  - *h\n'; done
} >many.yaml
run_limited --config many.yaml feed.xml
expect_status 1
expect_in "$T_WORK/err" "config 'many.yaml' line 1004: too many YAML anchors or aliases (more than 1000)"

# A list of 10,001 names and a 70 KB value, without any alias.
{
	printf '{"dry_run": true,\n "speaker_names": ['
	for ((i = 0; i < 10000; i++)); do printf '"n%d", ' "$i"; done
	printf '"last"]}\n'
} >long.json
run_limited --config long.json feed.xml
expect_status 1
expect_in "$T_WORK/err" "config 'long.json' line 2: key 'speaker_names': list too long (10001 items, at most 10000)"
printf 'dry_run: true\n\nknown_hosts: %s%s\n' "$ten_kb$ten_kb$ten_kb$ten_kb" \
	"$ten_kb$ten_kb$ten_kb" >value.yaml
run_limited --config value.yaml feed.xml
expect_status 1
expect_in "$T_WORK/err" "config 'value.yaml' line 3: key 'known_hosts': value too long (71680 bytes, at most 65536)"

# Aliases within the limits are plain YAML and still load.
printf 'dry_run: true\nknown_hosts: [&a Ann Host, *a, Bob]\nspeaker_names: [*a]\n' >fine.yaml
run_limited --config fine.yaml --output-dir fine feed.xml
expect_status 0
finish
