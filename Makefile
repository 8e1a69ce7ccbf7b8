# turnd — the interface for building, testing, running and installing.
#   make            build (installs missing Debian packages first)
#   make test       build and run every test (unit, fuzz corpora, end-to-end)
#   make run        build and run the gateway with conf/turnd.dev.conf (or CONF=FILE) on
#                   $DATABASE_URL, else the config's database=, else a private PostgreSQL
#                   cluster in var/postgres, started on demand (make db-stop stops it)
#   make bench      micro-benchmarks, the relay load against coturn, the SFU loads
#   make fuzz       run each libFuzzer target for FUZZ_SECONDS (clang)
#   make install    PREFIX=/usr DESTDIR=...
#   make format     rewrite the C++ files to .clang-format (make test checks it)
# SANITIZE=address,undefined builds into build-san/ with the sanitizers.

PREFIX ?= /usr/local
DESTDIR ?=
JOBS ?= 2
FUZZ_SECONDS ?= 60
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

.PHONY: all deps configure build test run db-stop bench fuzz install clean format

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

fuzz: deps
	cmake -S . -B build-fuzz -G Ninja -DTURND_FUZZ=ON -DTURND_SANITIZE=address,undefined \
	  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++
	cmake --build build-fuzz -j $(JOBS) --target \
	  $$(ninja -C build-fuzz -t targets all | sed -n 's/^\(fuzz_[a-z_]*\): phony/\1/p')
	@for f in build-fuzz/bin/fuzz_*; do \
	  name=$${f##*/fuzz_}; mkdir -p build-fuzz/corpus/$$name; \
	  echo "== fuzzing $$name for $(FUZZ_SECONDS)s"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    build-fuzz/corpus/$$name tests/fuzz/corpus/$$name || exit 1; \
	done

format:
	bash scripts/check_format.sh --fix

install: build
	DESTDIR=$(DESTDIR) cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf build build-san build-fuzz
