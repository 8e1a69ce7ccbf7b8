# turnd — the interface for building, testing, running and installing.
#   make            build (installs missing Debian packages first)
#   make test       build and run every test (unit, fuzz corpora, end-to-end)
#   make run        build and run the gateway with conf/turnd.dev.conf (or CONF=FILE) on
#                   $DATABASE_URL, else the config's database=, else a private PostgreSQL
#                   cluster in var/postgres, started on demand (make db-stop stops it)
#   make bench      micro-benchmarks, the relay load against coturn, the SFU loads
#   make soak       turnd under TURN and conference churn for SOAK_SECONDS (600): RSS, fds
#   make fuzz       run each libFuzzer target for FUZZ_RUNS inputs (clang, ASan/UBSan)
#   make sanitize   unit tests and fuzz corpora under ASan/UBSan (build-san/; CI runs it)
#   make install    PREFIX=/usr DESTDIR=...
#   make format     rewrite the C++ files to .clang-format (make test checks it)
# SANITIZE=address,undefined builds into build-san/ with the sanitizers.

SHELL := /bin/bash
PREFIX ?= /usr/local
DESTDIR ?=
JOBS ?= 2
FUZZ_RUNS ?= 10000000
FUZZ_SECONDS ?= 3600
FUZZ_TARGETS ?= $(patsubst tests/fuzz/%_fuzz.cc,%,$(wildcard tests/fuzz/*_fuzz.cc))
SANITIZE ?=
CTEST_ARGS ?=
CONF ?= conf/turnd.dev.conf
DEV_DB_DIR ?= var/postgres

ifeq ($(SANITIZE),)
BUILD ?= build
CMAKE_FLAGS ?=
else
BUILD ?= build-san
CMAKE_FLAGS ?= -DTURND_SANITIZE=$(SANITIZE) -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++
endif

.PHONY: all deps configure build test sanitize run db-stop bench fuzz soak install clean format

all: build

deps:
	@bash scripts/deps.sh

$(BUILD)/build.ninja: CMakeLists.txt
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(CMAKE_FLAGS)
	@ln -sf $(BUILD)/compile_commands.json compile_commands.json

configure: deps $(BUILD)/build.ninja

build: configure
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure $(CTEST_ARGS)

# scripts/run_dev.sh: the database ($DATABASE_URL, else the config's, else a
# private cluster in var/postgres), var/state, and for the SFU a self-signed
# certificate in var/tls and a room "demo" (code demo-room-code).
run: build
	@bash scripts/run_dev.sh "$(BUILD)" "$(CONF)" "$(DEV_DB_DIR)"

db-stop:
	@bash scripts/dev_cluster.sh stop "$(DEV_DB_DIR)"

bench: build
	$(BUILD)/bin/turnd_bench --benchmark_counters_tabular=true
	bash bench/relay_vs_coturn.sh $(BUILD)/bin/turnd
	bash bench/sfu_load.sh $(BUILD)/bin/sfu_load $(BUILD)/sfu_load.log
	bash bench/sfu_turn_load.sh $(BUILD)/bin/sfu_turn_load $(BUILD)/sfu_turn_load.log

# tests/soak/soak.sh: churn against turnd with the SFU and a throwaway
# PostgreSQL; figures in docs/SECURITY.md.
SOAK_SECONDS ?= 600
soak: build
	SOAK_SECONDS=$(SOAK_SECONDS) TURND_BIN=$(CURDIR)/$(BUILD)/bin/turnd TURNCTL_BIN=$(CURDIR)/$(BUILD)/bin/turnctl \
	  TURND_SRC=$(CURDIR) bash tests/db/run_with_cluster.sh bash tests/soak/soak.sh

# The unit tests and every fuzz corpus under ASan/UBSan, in build-san/ (.ci/run
# runs it after make test; make test SANITIZE=address,undefined runs everything).
SAN_FLAGS = -DTURND_SANITIZE=address,undefined -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++
sanitize: deps
	cmake -S . -B build-san -G Ninja $(SAN_FLAGS)
	cmake --build build-san -j $(JOBS) --target unit_tests sfu_unit_tests bench_unit_tests \
	  $(addprefix fuzz_,$(FUZZ_TARGETS))
	cd build-san && ctest --output-on-failure -L 'unit|fuzz' $(CTEST_ARGS)

# make fuzz [FUZZ_TARGETS="sdp signal"] [FUZZ_RUNS=N] [FUZZ_SECONDS=S]: each target
# runs until FUZZ_RUNS inputs or FUZZ_SECONDS, whichever comes first, with its
# dictionary, its committed seeds and a growing corpus in build-fuzz/corpus/;
# a crash stops it and leaves the input in build-fuzz/artifacts/ (commit it to
# tests/fuzz/corpus/NAME/ once fixed: make test replays it from then on).
fuzz: deps
	cmake -S . -B build-fuzz -G Ninja -DTURND_FUZZ=ON -DTURND_SANITIZE=address,undefined \
	  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++
	cmake --build build-fuzz -j $(JOBS) --target $(addprefix fuzz_,$(FUZZ_TARGETS))
	@mkdir -p build-fuzz/artifacts; for name in $(FUZZ_TARGETS); do \
	  mkdir -p build-fuzz/corpus/$$name; \
	  echo "== fuzzing $$name: $(FUZZ_RUNS) runs or $(FUZZ_SECONDS) s"; \
	  build-fuzz/bin/fuzz_$$name -runs=$(FUZZ_RUNS) -max_total_time=$(FUZZ_SECONDS) \
	    -dict=tests/fuzz/$$name.dict -print_final_stats=1 \
	    -artifact_prefix=build-fuzz/artifacts/$$name- \
	    build-fuzz/corpus/$$name tests/fuzz/corpus/$$name 2>&1 | tee build-fuzz/$$name.log \
	    | grep -E '^(#[0-9]+[[:space:]]+(DONE|pulse)|Done [0-9]+ runs|stat::number_of_executed_units|==.*ERROR|SUMMARY)'; \
	  test $${PIPESTATUS[0]} -eq 0 || exit 1; \
	done

format:
	bash scripts/check_format.sh --fix

install: build
	DESTDIR=$(DESTDIR) cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf build build-san build-fuzz
