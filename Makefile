# Hepatix: `make demo` and `make test` are the two commands a fresh machine needs.
SHELL   := /bin/bash
SWIFT   ?= swift
PREFIX  ?= /usr/local
BUILD   := .build/release
SOVER   := 0
VERSION := 0.1.0

.PHONY: all deps build demo test test-swift test-c bench asan install clean

all: build

## deps: install the Debian packages the build needs (only those missing)
deps:
	@scripts/install-deps.sh

## build: release build of the library, the CLI and the C shared library
build: deps
	$(SWIFT) build -c release
	@ln -sf hepatix-cli $(BUILD)/hepatix
	@ln -sf libhepatix.so $(BUILD)/libhepatix.so.$(SOVER)

## demo: simulate a phantom scan, reconstruct it, write images and figures to out/demo
demo: build
	$(BUILD)/hepatix demo --out out/demo

## test: Swift tests (release: SIMD kernels are 10-100x slower in debug), then C/C++ hosts and the export check
test: build test-c test-swift

test-swift:
	$(SWIFT) test -c release

test-c:
	gcc -std=c99 -Wall -Wextra -pedantic -Werror -Iinclude Tests/CConsumers/consumer.c \
	    -L$(BUILD) -lhepatix -lm -Wl,-rpath,$(CURDIR)/$(BUILD) -o $(BUILD)/consumer-c
	g++ -std=c++17 -Wall -Wextra -Werror -Iinclude Tests/CConsumers/consumer.cpp \
	    -L$(BUILD) -lhepatix -Wl,-rpath,$(CURDIR)/$(BUILD) -o $(BUILD)/consumer-cpp
	$(BUILD)/consumer-c
	$(BUILD)/consumer-cpp
	Tests/CConsumers/check_exports.sh $(BUILD)/libhepatix.so include/hepatix.h
	scripts/check-install.sh

## bench: W1/W2/W3 against ASTRA, RTK and plastimatch, radiomics against PyRadiomics and Z-Rad, each
## in the same run (see BENCHMARKS.md)
bench: build
	scripts/bench-recon.sh
	scripts/bench-radiomics.sh

## asan: the Swift tests under AddressSanitizer (debug build in .build-asan). Leak detection is off:
## at exit it reports the XCTest harness's own runtime allocations, not Hepatix's.
asan: deps
	ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test --sanitize=address --scratch-path .build-asan

## install: header, shared library with the Swift runtime it needs, pkg-config file, CLI
install: build
	scripts/install.sh "$(PREFIX)" "$(BUILD)" "$(VERSION)" "$(SOVER)"

clean:
	rm -rf .build out
