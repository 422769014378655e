#!/usr/bin/env bash
# fuzz/run.sh BUILD SECONDS [TARGET...]: runs each libFuzzer target of a
# -Dfuzz=true build for SECONDS, one after the other, on a corpus kept in
# BUILD/fuzz-corpus/<target> (grown from fuzz/seeds/<target>).  Crashing
# inputs land in BUILD/fuzz-artifacts/<target>/; copy each to
# fuzz/regress/<target>/ with the fix so the test suite replays it.
# Prints one line per target: executions, seconds, findings.
set -u
build=${1:?usage: run.sh BUILD SECONDS [TARGET...]}
secs=${2:?usage: run.sh BUILD SECONDS [TARGET...]}
shift 2
src=$(cd "$(dirname "$0")" && pwd)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=($(ls "$src/seeds"))
found=0
for t in "${targets[@]}"; do
	exe=$build/fuzz/fuzz_$t corpus=$build/fuzz-corpus/$t art=$build/fuzz-artifacts/$t
	mkdir -p "$corpus" "$art"
	log=$build/fuzz-$t.log
	start=$(date +%s)
	ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		"$exe" -max_total_time="$secs" -print_final_stats=1 -rss_limit_mb=2048 \
		-timeout=10 -max_len=65536 -artifact_prefix="$art/" "$corpus" "$src/seeds/$t" \
		>"$log" 2>&1
	rc=$?
	end=$(date +%s)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	# slow-unit-* files only say the machine was busy once; they are not findings
	crashes=$(ls "$art" | grep -cE '^(crash|leak|timeout|oom)-' || true)
	[ "$rc" = 0 ] && [ "$crashes" = 0 ] || found=1
	printf '%-12s execs=%s seconds=%d corpus=%d findings=%d exit=%d\n' "$t" "${execs:-?}" \
		$((end - start)) "$(ls "$corpus" | wc -l)" "$crashes" "$rc"
done
exit $found
