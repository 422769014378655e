#!/usr/bin/env bash
# checksrc: mechanical rules for src/ (after curl's checksrc).
#  - banned functions: unbounded or error-blind string and number functions
#  - modules never print: no printf/fprintf/puts to stdout or stderr outside
#    src/cmd/, src/main.c, and the async-signal-safe crash writer
#  - lines at most 100 columns, no trailing whitespace, tabs for indentation
# A line may opt out with a trailing comment "checksrc: ok".
set -u
cd "$TEST_SRCDIR/.."
fail=0
report() { echo "checksrc: $1"; fail=1; }

while IFS= read -r hit; do
	report "banned function: $hit"
done < <(grep -rnE '(^|[^_a-z])(sprintf|vsprintf|strcpy|strcat|atoi|atol|atof|gets|strtok|tmpnam)\s*\(' \
	--include='*.c' --include='*.h' src | grep -v 'checksrc: ok')

while IFS= read -r hit; do
	report "module prints directly: $hit"
done < <(grep -rnE '(^|[^a-z_])(printf|puts|putchar)\s*\(|fprintf\s*\(\s*std(out|err)' \
	--include='*.c' src | grep -vE '^src/(cmd/|main\.c)' | grep -v 'checksrc: ok')

while IFS= read -r hit; do
	report "line longer than 100 columns: $hit"
done < <(grep -rnE '^.{101,}$' --include='*.c' --include='*.h' src | cut -c1-120)

while IFS= read -r hit; do
	report "trailing whitespace: $hit"
done < <(grep -rnE '[[:space:]]+$' --include='*.c' --include='*.h' src)

if [ "$fail" = 0 ]; then
	echo "checksrc: $(find src -name '*.[ch]' | wc -l) files clean"
fi
exit "$fail"
