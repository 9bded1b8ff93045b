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

# Slow tier: fuzzing, national-scale data and load tests (none yet: they come with the
# importers and the statistics engine).
test-slow:
	scripts/install-deps
	cmake --preset bench >/dev/null
	cmake --build --preset bench
	ctest --preset slow --no-tests=ignore

bench:
	bench/run.sh

format:
	clang-format-16 -i $$(git ls-files '*.cpp' '*.hpp')

tidy:
	scripts/install-deps
	command -v clang++-16 >/dev/null || apt-get install -y clang-16
	cmake --preset tidy >/dev/null
	cmake --build --preset tidy

clean:
	rm -rf build
