#!/usr/bin/env bash
# --rebuild-state reads metadata written as YAML (metadata_format: yaml) as
# it reads JSON: the finished episodes are restored as done and skipped, not
# downloaded again, and a YAML document that names no episode is passed over
# with a warning naming it.
set -e
. "$TEST_SRCDIR/e2e/feeds/lib.sh"
site_start
cd "$T_WORK"

N=5
mkdir -p "$SITE/t"
F=$SITE/feed.xml
feed_open "$F" "Corrupted YAML"
for ((i = 1; i <= N; i++)); do
	make_vtt 5 "ep $i" >"$SITE/t/$i.vtt"
	feed_item "$F" --title "YAML episode $i: \"quoted\" & more" --guid "y-$i" \
		--date 2026-05-0$i --transcript "t/$i.vtt" text/vtt
done
feed_close "$F"
URL=$SERVER_URL/feed.xml

run_ps "$URL" --output-dir fd --metadata-format yaml
expect_status 0
expect_summary episodes=$N failed=0
check "metadata is YAML only" test "$(ls fd/metadata/*.metadata.yaml | wc -l)" = $N
check "no JSON metadata" test -z "$(ls fd/metadata/ | grep '\.json$' || true)"
check "the database spans at least 3 pages" test "$(stat -c %s fd/state.sqlite)" -ge 12288
# A stray YAML file that is not an episode's metadata must not stop the rebuild.
printf 'feed: [not, a, mapping]\n' >fd/metadata/stray.metadata.yaml

head -c 8192 /dev/zero | tr '\0' 'Z' | dd of=fd/state.sqlite bs=4096 seek=1 conv=notrunc status=none
check "the damage is real" test "$(sqlite3 fd/state.sqlite 'PRAGMA quick_check' 2>&1)" != ok

before=$(server_requests | wc -l)
run_ps "$URL" --output-dir fd --metadata-format yaml --rebuild-state
expect_status 0
expect_summary failed=0 skipped=$N
expect_in "$T_WORK/err" "$N episodes done from metadata/"
expect_in "$T_WORK/err" "stray.metadata.yaml' names no feed and episode"
check "no transcript downloaded again" \
	test -z "$(server_requests | tail -n +$((before + 1)) | grep '/t/')"
check "every episode done in the rebuilt database" \
	test "$(sqlite3 fd/state.sqlite "SELECT COUNT(*) FROM episodes WHERE status='done'")" = $N
check "the episode ids come from the YAML documents" \
	test "$(sqlite3 fd/state.sqlite "SELECT group_concat(episode_id, ' ') FROM (SELECT episode_id FROM episodes ORDER BY episode_id)")" = "y-1 y-2 y-3 y-4 y-5"
finish
