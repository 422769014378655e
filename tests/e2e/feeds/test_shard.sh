#!/usr/bin/env bash
# --shard: three shards over six feeds, each run taking only its own feeds,
# write into one output folder; every feed is fetched and written exactly
# once and together they cover all six.  --shard auto takes the same shard
# from a Kubernetes Indexed Job's or a Slurm array's environment.
set -e
. "$TEST_SRCDIR/e2e/feeds/lib.sh"
site_start
cd "$T_WORK"
unset JOB_COMPLETION_INDEX SLURM_ARRAY_TASK_ID SLURM_ARRAY_TASK_MIN SLURM_ARRAY_TASK_COUNT \
	PODCAST_SCRAPER_SHARD_TOTAL

: >feeds.txt
for i in 1 2 3 4 5 6; do
	make_vtt 2 "show$i" >"$SITE/t$i.vtt"
	feed_open "$SITE/feed$i.xml" "Show $i"
	feed_item "$SITE/feed$i.xml" --title "Episode of show $i" --guid "s$i" \
		--date 2026-05-0$i --transcript "t$i.vtt" text/vtt
	feed_close "$SITE/feed$i.xml"
	echo "$SERVER_URL/feed$i.xml" >>feeds.txt
done

total=0
for k in 0 1 2; do
	run_ps --feeds-file feeds.txt --output-dir shared --shard "$k/3"
	expect_status 0
	n=$(sed -n "s#.*shard $k/3: \([0-9]*\) of 6 feeds.*#\1#p" "$T_WORK/err")
	check "shard $k/3 says how many feeds it took" test -n "$n"
	check "shard $k/3 fetched just its feeds" \
		test "$(grep -c '^GET /feed[0-9].xml ' "$SERVER_LOG")" = "$n"
	grep '^GET /feed[0-9].xml ' "$SERVER_LOG" | cut -d' ' -f2 >"got$k"
	total=$((total + n))
	requests_reset
done
check "the shards add up to the six feeds" test "$total" = 6
check "every feed was fetched exactly once" \
	test "$(sort got0 got1 got2 | uniq | wc -l)" = 6 -a "$(cat got0 got1 got2 | wc -l)" = 6
check "six feed folders, one each" test "$(ls -d shared/rss_127.0.0.1_* | wc -l)" = 6
for i in 1 2 3 4 5 6; do
	check "show $i has its transcript once" \
		test "$(grep -l "show$i line 0" shared/*/transcripts/*.txt | wc -l)" = 1
done

# --- auto: the same shard from the environment --------------------------------
JOB_COMPLETION_INDEX=1 PODCAST_SCRAPER_SHARD_TOTAL=3 run_ps --feeds-file feeds.txt \
	--output-dir auto_k8s --dry-run --shard auto
expect_status 0
expect_in "$T_WORK/err" "shard 1/3: $(wc -l <got1) of 6 feeds"
grep '^GET /feed[0-9].xml ' "$SERVER_LOG" | cut -d' ' -f2 >k8s
check "Indexed Job index 1 takes shard 1/3's feeds" cmp <(sort got1) <(sort k8s)
requests_reset
SLURM_ARRAY_TASK_ID=3 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_COUNT=3 \
	run_ps --feeds-file feeds.txt --output-dir auto_slurm --dry-run --shard auto
expect_status 0
grep '^GET /feed[0-9].xml ' "$SERVER_LOG" | cut -d' ' -f2 >slurm
check "Slurm task 3 of an array 1-3 takes shard 2/3's feeds" cmp <(sort got2) <(sort slurm)

# --- bad shards are usage errors naming the input -------------------------------
run_ps --feeds-file feeds.txt --output-dir bad --shard 3/3
expect_status 2
expect_in "$T_WORK/err" "--shard '3/3': K must be below N"
run_ps --feeds-file feeds.txt --output-dir bad --shard half
expect_status 2
expect_in "$T_WORK/err" "--shard 'half': not K/N or auto"
run_ps --feeds-file feeds.txt --output-dir bad --shard auto
expect_status 2
expect_in "$T_WORK/err" "no shard in the environment"
JOB_COMPLETION_INDEX=0 run_ps --feeds-file feeds.txt --output-dir bad --shard auto
expect_status 2
expect_in "$T_WORK/err" "PODCAST_SCRAPER_SHARD_TOTAL is not set"
check "bad shards wrote nothing" test ! -e bad
finish
