# aurora-bridge: build, test, benchmark and demo entry points.
SWIFT ?= swift
APT_PACKAGES := libmosquitto-dev mosquitto mosquitto-clients pkg-config rabbitmq-server sqlite3 chromium prometheus wrk
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build release test ha-test bench demo fuzz clean install deb package-test

## deps: install the system packages the build, the tests and the demo need (Debian).
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

## test: the whole test suite (unit and end-to-end against a real mosquitto and the simulator).
# End-to-end tests whose bounds are wall-clock times (a simulated night at 2000x, the 25 s
# whole-bus scan, give-up times of a silent inverter, discovery cleanups waited for, a replay
# that must time out where the captured run did, packets a noisy line still carries, alarms
# between polls on a fast clock, the status server's 10 s request deadline and its half-header
# flood) run one at a time after the rest, which runs in parallel and would eat into them on a
# 2-core machine; so do the stress tests that would eat into the others (2,000 MQTT event
# consumers cancelled while acknowledgements arrive, a burst of 100 SIGHUPs).
# The parallel tests run at most TEST_WIDTH at a time: unbounded, their start put 47 mosquittos,
# simulators and bridges on 2 cores at once, and MQTT connections timed out behind them.
TEST_WIDTH := 16
TIMED_SUITES := NightAndDayTests|DiscoveryTests|SilentInverterTests|FaultToleranceTests|BusScannerTests|SetTimeTests|QueryItemsTests|CaptureReplayTests|NoisyLineTests|EventLogTests|EventOutageTests|StatusTimeoutTests|EventStreamCancellationTests|ReloadBurstTests
test: deps
	$(SWIFT) build --build-tests
	SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=$(TEST_WIDTH) $(SWIFT) test --skip-build --skip '$(TIMED_SUITES)'
	$(SWIFT) test --skip-build --no-parallel --filter '$(TIMED_SUITES)'

## ha-test: the bridge's discovery against a real Home Assistant 2025.4.4 (Python 3.13 from pyenv;
## the virtual environment is kept in .build-ha).
ha-test: build
	./scripts/ha-test.sh

## bench: link, MQTT and archive benchmarks, release build.
bench: release
	$(SWIFT) run -c release --skip-build aurora-bench

## fuzz: the libFuzzer targets of Tests/Fuzz (config, summary-blob, response), each for
## FUZZ_SECONDS on a copy of its seed corpus; fails on any crash (see docs/fuzzing.md).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) ./scripts/fuzz.sh $(FUZZ_TARGETS)

## demo: a simulated inverter, a local broker, the bridge, and what a subscriber sees.
demo: build
	./scripts/demo.sh

## deb: dist/aurora-bridge_<version>_<arch>.deb for Debian 12, no Swift toolchain needed to install it.
deb: deps
	./scripts/make-deb.sh

## package-test: install the package in a fresh debootstrap'd Debian 12 and run it there (root).
package-test: deb
	@command -v debootstrap >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq debootstrap; }
	$(SUDO) ./scripts/package-test.sh

clean:
	rm -rf .build .build-fuzz .build-deb .build-ha dist

PREFIX ?= /usr/local

## install: binaries, the systemd unit, and the sample configuration if none exists yet.
install:
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)/etc/systemd/system $(DESTDIR)/etc/aurora-bridge
	install -m 755 .build/release/aurora-bridge .build/release/aurora-sim $(DESTDIR)$(PREFIX)/bin/
	install -m 644 systemd/aurora-bridge.service $(DESTDIR)/etc/systemd/system/
	[ -e $(DESTDIR)/etc/aurora-bridge/bridge.conf ] || install -m 644 bridge.conf $(DESTDIR)/etc/aurora-bridge/
	-systemctl daemon-reload 2>/dev/null
