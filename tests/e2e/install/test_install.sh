#!/usr/bin/env bash
# `meson install --destdir`: the binary, the man page (every option of the
# table in it), the bash completion (options and their choices, checked by
# running it), the systemd units (a oneshot service and its timer, a --watch
# service with sandboxing and the output as its only writable path), an
# example config and the docs under share/doc.  Runs in the build folder.
set -e
. "$TEST_SRCDIR/lib/assert.sh"
BUILD=$PWD
cd "$T_WORK"
D=$T_WORK/dest
prefix=$(meson introspect --buildoptions "$BUILD" |
	python3 -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"))')
check "meson install --destdir works" \
	meson install -C "$BUILD" --destdir "$D" --no-rebuild --quiet
P=$D$prefix

check "binary installed and runs" "$P/bin/podcast_scraper" --version
man=$P/share/man/man1/podcast_scraper.1
check "man page installed" test -s "$man"
check "man page is the generated one" cmp "$man" <("$P/bin/podcast_scraper" --help-man)
"$P/bin/podcast_scraper" --help-markdown | sed -n 's/^| `\([a-z_]*\)` .*/\1/p' >keys
check "the options table has keys" test "$(wc -l <keys)" -gt 50
while read -r key; do
	check "man page names $key" grep -qF "\\fB${key//_/_}\\fR, environment" "$man"
done <keys
if command -v man >/dev/null; then
	check "man renders it without warnings" \
		bash -c "man --warnings -l '$man' 2>&1 >/dev/null | (! grep .)"
fi

comp=$P/share/bash-completion/completions/podcast_scraper
check "bash completion installed" test -s "$comp"
# complete WORDS...: what the completion offers for the last word
complete_words() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); compopt() { :; }
		_podcast_scraper; printf "%s\n" "${COMPREPLY[@]}"' _ "$comp" "$@"
}
check "completes option names" \
	bash -c "$(declare -f complete_words); comp='$comp'; complete_words podcast_scraper --max-ep | grep -qx -- --max-episodes"
out=$(complete_words podcast_scraper --log-level d)
check "completes an option's choices ($out)" test "$out" = debug
out=$(complete_words podcast_scraper --transcription-provider '')
check "completes every choice" test "$(echo "$out" | sort | tr '\n' ' ')" = "openai pocketsphinx "
check "completes subcommands" bash -c "$(declare -f complete_words); comp='$comp'; complete_words podcast_scraper doc | grep -qx doctor"

U=$P/lib/systemd/system
for u in podcast_scraper.service podcast_scraper.timer podcast_scraper-watch.service; do
	check "unit $u installed" test -s "$U/$u"
done
check "oneshot service" grep -qx 'Type=oneshot' "$U/podcast_scraper.service"
check "its ExecStart is the installed binary" \
	grep -q "^ExecStart=$prefix/bin/podcast_scraper " "$U/podcast_scraper.service"
check "the timer starts it" grep -qx 'OnCalendar=hourly' "$U/podcast_scraper.timer"
W=$U/podcast_scraper-watch.service
check "watch service runs --watch" grep -q "^ExecStart=$prefix/bin/podcast_scraper .*--watch " "$W"
check "reload is SIGHUP" grep -qx 'ExecReload=/bin/kill -HUP $MAINPID' "$W"
for d in ProtectSystem=strict PrivateTmp=yes NoNewPrivileges=yes \
	ReadWritePaths=/var/lib/podcast_scraper; do
	check "watch service has $d" grep -qx "$d" "$W"
	check "oneshot service has $d" grep -qx "$d" "$U/podcast_scraper.service"
done
check "no placeholder left" bash -c "! grep -q @ '$U'/*"
if command -v systemd-analyze >/dev/null; then
	# the units name the installed path; check their syntax against a copy that
	# points at the binary in the destdir
	mkdir units
	for u in "$U"/*; do
		sed "s#$prefix/bin/#$P/bin/#" "$u" >"units/${u##*/}"
	done
	check "systemd-analyze verify accepts the units" \
		bash -c "systemd-analyze verify units/*.service units/*.timer 2>&1 | (! grep -iE 'unknown|invalid|failed to parse|assignment')"
fi

doc=$P/share/doc/podcast_scraper
check "example config installed" test -s "$doc/config.example.yaml"
# the example config loads: its feeds swapped for a local one, as a dry run
sed -e 's#/var/lib/podcast_scraper/output#'"$T_WORK"'/out#' -e '/example\.\(org\|net\)/d' \
	"$doc/config.example.yaml" >cfg.yaml
printf '<rss version="2.0"><channel><title>L</title><item><title>E</title><guid>g</guid>%s\n' \
	'</item></channel></rss>' >local.xml
run_ps --config cfg.yaml --dry-run "$T_WORK/local.xml"
expect_status 0
expect_in "$T_WORK/err" "1 episodes, 1 selected"
for f in README.md OPTIONS.md SCALE.md CRASH_MITIGATION.md examples/indexed-job.yaml \
	examples/podcast_scraper.sbatch; do
	check "doc $f installed" test -s "$doc/$f"
done
finish
