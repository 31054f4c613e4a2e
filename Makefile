# The two set-up commands are `make run` and `make test`; both install what is missing first.
BUILD_DIR ?= build
DB ?= ./data/gazelle.db
PORT ?= 8080
HOST ?= 127.0.0.1
export CCACHE_DIR ?= $(HOME)/.cache/ccache

.PHONY: deps build run test bench clean

deps:
	@bash scripts/install-deps.sh

$(BUILD_DIR)/build.ninja: CMakeLists.txt
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j 2

run: build
	@mkdir -p $(dir $(DB))
	$(BUILD_DIR)/gazelle serve --db $(DB) --host $(HOST) --port $(PORT) --demo-if-new

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j 2

bench: build
	@bash scripts/install-deps.sh --bench
	bash bench/run.sh

clean:
	rm -rf $(BUILD_DIR)
