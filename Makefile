# Thin wrapper around Meson for the two set-up commands in README.md.
#   make demo   install missing packages, build, run the pipeline on demo/
#   make test   install missing packages, build, run every test
# Other targets: deps, build, sanitize (ASan+UBSan build + suite), bench, clean,
#   fuzz (clang + libFuzzer, every fuzz/ target for FUZZ_SECONDS each; needs fuzz-deps).

BUILD ?= build
SAN_BUILD ?= build-sanitize
MESON_FLAGS ?= -Dwerror=true

DEB_PACKAGES = build-essential meson ninja-build pkg-config \
	libcurl4-openssl-dev libxml2-dev libyaml-dev libjansson-dev libsqlite3-dev \
	libssl-dev libavformat-dev libavcodec-dev libswresample-dev libavfilter-dev \
	libavutil-dev libpocketsphinx-dev libsphinxbase-dev pocketsphinx pocketsphinx-en-us \
	libstemmer-dev libmicrohttpd-dev libcmocka-dev flite flite1-dev libgcc-12-dev \
	zlib1g-dev sqlite3 python3 python3-yaml curl procps wamerican \
	pocketsphinx-testdata tmux

FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
# Only for make fuzz; make test does not need them.
FUZZ_DEB_PACKAGES = clang libclang-rt-14-dev

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build test sanitize demo bench clean fuzz-deps fuzz

all: build

deps fuzz-deps: PKGS = $(if $(filter fuzz-deps,$@),$(FUZZ_DEB_PACKAGES),$(DEB_PACKAGES))
deps fuzz-deps:
	@missing=$$(for p in $(PKGS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(BUILD)/build.ninja:
	meson setup $(BUILD) $(MESON_FLAGS)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

test: build
	meson test -C $(BUILD) --print-errorlogs --num-processes 2

sanitize: deps
	[ -f $(SAN_BUILD)/build.ninja ] || meson setup $(SAN_BUILD) -Dwerror=true -Db_sanitize=address,undefined \
		-Db_lundef=false -Dbuildtype=debug
	ninja -C $(SAN_BUILD)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		meson test -C $(SAN_BUILD) --print-errorlogs --num-processes 2 --timeout-multiplier 3

demo: build
	./demo/run.sh $(BUILD)

bench: build
	for s in bench/*/run.sh; do echo "== $$s"; $$s $(BUILD) || exit 1; done

# libbacktrace's header sits in gcc's private include folder; clang gets a
# copy of just that file, since the whole folder would shadow its own headers.
fuzz: deps fuzz-deps
	[ -f $(FUZZ_BUILD)/build.ninja ] || { mkdir -p $(FUZZ_BUILD)-include && \
		cp $$(ls /usr/lib/gcc/x86_64-linux-gnu/*/include/backtrace.h | tail -1) $(FUZZ_BUILD)-include/ && \
		CC=clang meson setup $(FUZZ_BUILD) -Dfuzz=true -Db_sanitize=address,undefined \
		-Db_lundef=false -Dbuildtype=debugoptimized -Dc_args=-I$(CURDIR)/$(FUZZ_BUILD)-include; }
	ninja -C $(FUZZ_BUILD)
	fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) $(SAN_BUILD) $(FUZZ_BUILD) $(FUZZ_BUILD)-include
