# The two commands of the README, and a few for developers.
#   make run   install what is missing, build, create hafen.db with the
#              bundled data and demo ledger if absent, print the quota table,
#              and serve the dashboard on LISTEN with a demo login
#   make test  install what is missing, build with ASan+UBSan, run every test
#              on SQLite and on a throw-away PostgreSQL server (stopped and
#              removed afterwards, also when a test fails)

BUILD      ?= build
TESTBUILD  ?= build-test
DB         ?= hafen.db
HAFEN       = $(BUILD)/src/cli/hafen
LISTEN     ?= 127.0.0.1:8080
DEMO_USER  ?= demo
DEMO_PASSWORD ?= hafen-demo-2024

.PHONY: all deps build run test bench clean

all: build

deps:
	@sh scripts/deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=debugoptimized

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

run: build
	@if [ ! -f "$(DB)" ]; then $(HAFEN) --db "$(DB)" init --demo; fi
	$(HAFEN) --db "$(DB)" quota --key sh-bevoelkerung-2019 --period 2023
	@if ! $(HAFEN) --db "$(DB)" user list --format csv | grep -q '^$(DEMO_USER),'; then \
	    printf '%s\n' '$(DEMO_PASSWORD)' | \
	    $(HAFEN) --db "$(DB)" user add $(DEMO_USER) --role admin >/dev/null; fi
	@echo
	@echo "hafen: dashboard at http://$(LISTEN)/ - demo login: $(DEMO_USER) / $(DEMO_PASSWORD) (Ctrl-C stops)"
	$(HAFEN) --db "$(DB)" serve --listen $(LISTEN)

$(TESTBUILD)/build.ninja:
	meson setup $(TESTBUILD) --buildtype=debug \
	    -Db_sanitize=address,undefined -Db_lundef=false -Dwerror=true

test: deps $(TESTBUILD)/build.ninja
	ninja -C $(TESTBUILD)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    sh scripts/pg-test-cluster.sh run \
	    meson test -C $(TESTBUILD) --print-errorlogs --num-processes 2

bench: deps
	meson setup build-bench --buildtype=release -Db_ndebug=true >/dev/null 2>&1 || true
	ninja -C build-bench
	sh bench/run.sh build-bench

clean:
	rm -rf $(BUILD) $(TESTBUILD) build-bench
