# Sluice — the two set-up commands are `make run` and `make test`.
# Everything else here is what they are made of.

BUILD_DIR  ?= build
BUILD_TYPE ?= Release
GUI        ?= ON
CMAKE_ARGS ?=
JOBS       ?= $(shell nproc)
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian 12 packages the build, the tests and the benchmarks need.
PACKAGES := build-essential cmake ninja-build ccache pkg-config git python3 python3-yaml \
            libyaml-cpp-dev libyaml-dev libre2-dev nlohmann-json3-dev libcli11-dev libssl-dev openssl \
            libboost-dev libnghttp2-dev libgrpc++-dev libbenchmark-dev libgraphviz-dev libjemalloc-dev \
            qt6-base-dev qt6-base-dev-tools libgl-dev \
            curl \
            dpkg-dev desktop-file-utils appstream groff-base
ifeq ($(GUI),ON)
# QtCharts' CMake package needs Qt6OpenGL's, which qt6-base-dev only recommends: named here because
# recommends are not installed.
PACKAGES += qt6-charts-dev qt6-svg-dev libqscintilla2-qt6-dev libqt6opengl6-dev
endif
# The package test (ctest -L package) needs dpkg-dev (dpkg-shlibdeps computes the Depends),
# desktop-file-utils, appstream and groff-base (it validates the desktop entry and metainfo and
# renders the man pages). Lintian only checks `make package`'s output: a large download that no
# test needs.
PACKAGE_PACKAGES := lintian
# The proxy's comparators, measured in the same run, and perf for its system-call counts (make
# bench only).
BENCH_PACKAGES := nginx haproxy wrk nghttp2-client linux-perf
SHARED_DIR ?= ../shared
BENCH_SECONDS ?= 10
BENCH_REPS ?= 3

.PHONY: all deps configure build test run bench clean format headless screenshots package

all: build

deps:
	@missing=$$(for p in $(PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing missing packages: $$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DSLUICE_BUILD_GUI=$(GUI) $(CMAKE_ARGS)

configure: $(BUILD_DIR)/build.ninja

build: deps configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

run: build
ifeq ($(GUI),ON)
	$(BUILD_DIR)/bin/sluice-studio samples/bookinfo
else
	$(BUILD_DIR)/bin/sluice validate samples/bookinfo
endif

# The Debian packages (sluice, and sluice-studio unless GUI=OFF) and the tarball (installer/), in
# $(BUILD_DIR), then lintian on the packages (installer/lintian-overrides/ lists the warnings
# left, each with its reason).
package: build
	$(MAKE) deps PACKAGES="$(PACKAGE_PACKAGES)"
	cd $(BUILD_DIR) && cpack -G "DEB;TGZ"
	lintian --info --display-info --fail-on error,warning $(BUILD_DIR)/sluice_*.deb \
	  $(if $(filter ON,$(GUI)),$(BUILD_DIR)/sluice-studio_*.deb)

# The Studio's main view rendered offscreen, for the README and for reviews.
screenshots: build
	mkdir -p $(BUILD_DIR)/screenshots
	QT_QPA_PLATFORM=offscreen $(BUILD_DIR)/bin/sluice-studio --screenshot $(BUILD_DIR)/screenshots/bookinfo.png \
	  --flow-image $(BUILD_DIR)/screenshots/flow-bookinfo.png --trace http://bookinfo.example.com/productpage \
	  samples/bookinfo
	QT_QPA_PLATFORM=offscreen $(BUILD_DIR)/bin/sluice-studio --flow-image $(BUILD_DIR)/screenshots/flow-canary.png \
	  samples/canary
	QT_QPA_PLATFORM=offscreen $(BUILD_DIR)/bin/sluice-studio --demo 20 --screenshot $(BUILD_DIR)/screenshots/live-canary.png \
	  --dashboard-image $(BUILD_DIR)/screenshots/dashboard-canary.png samples/canary

bench: build
	$(MAKE) deps PACKAGES="$(BENCH_PACKAGES)"
	$(BUILD_DIR)/bin/sluice-bench-validate
	$(BUILD_DIR)/bin/sluice-bench-routing
	$(BUILD_DIR)/bin/sluice-bench-flow
	$(BUILD_DIR)/bin/sluice-bench-simulate
	[ ! -x $(BUILD_DIR)/bin/sluice-bench-flow-scene ] || $(BUILD_DIR)/bin/sluice-bench-flow-scene
	# The Studio's GUI thread while the embedded proxy serves as much as it can (offscreen).
	[ ! -x $(BUILD_DIR)/bin/sluice-bench-studio-live ] || $(BUILD_DIR)/bin/sluice-bench-studio-live --seconds $(BENCH_SECONDS)
	# sluice serve against nginx and HAProxy on this machine, one worker each, same pinning.
	bash tests/bench/proxy_bench.sh $(BUILD_DIR)/bin/sluice $(SHARED_DIR) $(BENCH_SECONDS) $(BENCH_REPS)
	# sluice load against nginx's static page next to wrk (one core each), and open-loop accuracy.
	bash tests/bench/load_bench.sh $(BUILD_DIR)/bin/sluice $(BENCH_SECONDS) $(BENCH_REPS)

headless:
	$(MAKE) build BUILD_DIR=build-headless GUI=OFF

format:
	git ls-files '*.h' '*.cpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
