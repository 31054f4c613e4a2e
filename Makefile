# The two set-up commands are `make run` and `make test`; both install what is missing first.
BUILD_DIR ?= build
DB ?= ./data/gazelle.db
PORT ?= 8080
HOST ?= 127.0.0.1
export CCACHE_DIR ?= $(HOME)/.cache/ccache
# Let a fresh clone in another folder (CI) reuse the cache: paths are hashed relative to here.
export CCACHE_BASEDIR ?= $(CURDIR)
export CCACHE_NOHASHDIR ?= 1

.PHONY: deps build web run test test-sanitize fuzz bench bench-backends bench-analytics clean

deps:
	@bash scripts/install-deps.sh

$(BUILD_DIR)/build.ninja: CMakeLists.txt
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD_DIR)/build.ninja web
	cmake --build $(BUILD_DIR) -j 2

# The web interface (web/, React + Vite) into web/dist, served by `gazelle serve`; skipped when
# web/dist is newer than every source file (docs/web.md). `npm install` follows the committed
# package-lock.json; `npm ci` is not used because this registry's lock files leave out the
# optional packages of other platforms (rollup, esbuild), which `npm ci` then reports missing.
# --no-save: a plain `npm install` writes those optional packages back into package-lock.json,
# so a fresh clone would show a modified lock file after its first `make run`; with --no-save it
# installs what the lock says (and this platform's optional packages) and writes only
# node_modules (its .package-lock.json is what the up-to-date check below reads).
web:
	@if [ -f web/dist/index.html ] && [ -z "$$(find web/src web/index.html web/package.json web/package-lock.json web/vite.config.ts web/tsconfig.json -newer web/dist/index.html 2>/dev/null | head -1)" ]; then \
	  echo "web: web/dist is up to date"; \
	else \
	  cd web && ( [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm install --no-save --no-audit --no-fund ) && npm run build; \
	fi

# `make run` builds only what it runs, the server (target gazelle): the test programs and the
# benchmark tools are built by `make build` and `make test`.
run: deps $(BUILD_DIR)/build.ninja web
	cmake --build $(BUILD_DIR) -j 2 --target gazelle
	@mkdir -p $(dir $(DB))
	$(BUILD_DIR)/gazelle serve --db $(DB) --host $(HOST) --port $(PORT) --demo-if-new

# Unit tests, and the API tests on SQLite and on a throw-away PostgreSQL cluster (docs/testing.md).
test: build
	bash scripts/run-tests.sh $(BUILD_DIR)

# The whole test suite on an AddressSanitizer + UndefinedBehaviorSanitizer build of its own
# (build-asan; docs/security.md). Leak checks are off: the server's caches live until exit.
test-sanitize: deps web
	cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGAZELLE_SANITIZE=ON
	cmake --build build-asan -j 2
	ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  bash scripts/run-tests.sh build-asan

# libFuzzer on the static path, CSV, XLSX and JSON body targets, 10 minutes each (scripts/fuzz.sh).
fuzz: deps
	bash scripts/fuzz.sh 600

bench: build
	@bash scripts/install-deps.sh --bench
	bash bench/run.sh

# SQLite vs PostgreSQL (throw-away cluster), one and two servers (bench/README.md).
bench-backends: build
	@bash scripts/install-deps.sh --bench
	bash bench/run-backends.sh

# Customer-value analytics at 1 M customers / 10 M order lines: Gazelle's engine vs the same SQL
# in SQLite and DuckDB (bench/analytics/run.sh, bench/README.md).
bench-analytics: build
	@bash scripts/install-deps.sh --bench
	cmake --build $(BUILD_DIR) -j 2 --target bench_analytics
	BUILD_DIR=$(BUILD_DIR) bash bench/analytics/run.sh

clean:
	rm -rf $(BUILD_DIR)
