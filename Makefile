# Shortcuts; the scripts are the source of truth.
.PHONY: run test test-slow bench build format tidy clean

run:
	scripts/run

test:
	scripts/test

build:
	scripts/install-deps
	cmake --preset debug >/dev/null
	cmake --build --preset debug

# Slow tier: the libFuzzer targets (fuzz preset: clang-16, each parser FUZZ_SECONDS, default 60;
# docs/FUZZING.md), then national-scale data and load tests (bench preset: a Release build), among
# them slow.cluster (tests/slow/cluster_test.py: three servers on PostgreSQL behind nginx, 200
# clients, 20,000 edits, one server killed; docs/BENCHMARKS.md, "Three servers on PostgreSQL").
test-slow:
	scripts/install-deps
	missing=$$(for package in clang-16 libclang-rt-16-dev; do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q 'install ok installed' || \
	  echo $$package; done); \
	[ -z "$$missing" ] || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; }
	cmake --preset fuzz >/dev/null
	cmake --build --preset fuzz
	ctest --preset fuzz
	cmake --preset bench >/dev/null
	cmake --build --preset bench
	ctest --preset slow --no-tests=ignore

bench:
	bench/run.sh
	BENCH_SKIP_BUILD=1 BENCH_BACKEND=postgresql bench/run.sh
	BENCH_SKIP_BUILD=1 bench/stats.sh
	BENCH_SKIP_BUILD=1 bench/px.sh
	BENCH_SKIP_BUILD=1 bench/equity.sh
	bench/geo.sh
	BENCH_SKIP_BUILD=1 bench/web.sh
	BENCH_SKIP_BUILD=1 bench/fetch.sh

format:
	clang-format-16 -i $$(git ls-files '*.cpp' '*.hpp')

tidy:
	scripts/install-deps
	command -v clang++-16 >/dev/null || apt-get install -y clang-16
	cmake --preset tidy >/dev/null
	cmake --build --preset tidy

clean:
	rm -rf build
