# Hepatix: `make demo` and `make test` are the two commands a fresh machine needs.
SHELL   := /bin/bash
SWIFT   ?= swift
PREFIX  ?= /usr/local
BUILD   := .build/release
SOVER   := 0
VERSION := 0.1.0

.PHONY: all deps build demo test test-env test-swift test-c bench asan fuzz install clean

all: build

## deps: install the Debian packages the build needs (only those missing)
deps:
	@scripts/install-deps.sh

## build: release build of the library, the CLI and the C shared library
build: deps
	$(SWIFT) build -c release
	@ln -sf hepatix-cli $(BUILD)/hepatix
	@ln -sf libhepatix.so $(BUILD)/libhepatix.so.$(SOVER)

## demo: analyse the built-in multiphase phantom study; the report is out/demo/report.html
demo: build
	$(BUILD)/hepatix demo --out out/demo

## test: Swift tests (release: SIMD kernels are 10-100x slower in debug), then C/C++ hosts and the export check
test: build test-env test-c test-swift

test-swift:
	$(SWIFT) test -c release

## test-c: the C and C++ hosts (the C one reads a generated DICOM study and writes SEG + SR, which the
## shared judges then validate, and analyses the built-in liver phantom), the export check and the install check
C_STUDY := .build/c-dicom-study
C_OUT   := .build/c-dicom-out
test-c: test-env
	@[ -f $(C_STUDY)/truth.json ] || .build/test-venv/bin/python ../shared/peers/dicom/gen_ct_series.py $(C_STUDY) \
	    --rows 64 --slices 16 --noise 0 >/dev/null
	@rm -rf $(C_OUT) && mkdir -p $(C_OUT)
	@.build/test-venv/bin/python tools/onnx/make_tiny_model.py $(C_OUT)
	gcc -std=c99 -Wall -Wextra -pedantic -Werror -Iinclude -ITests/CConsumers Tests/CConsumers/consumer.c \
	    Tests/CConsumers/consumer_dicom.c Tests/CConsumers/consumer_inference.c Tests/CConsumers/consumer_liver.c -L$(BUILD) -lhepatix -lm -Wl,-rpath,$(CURDIR)/$(BUILD) -o $(BUILD)/consumer-c
	g++ -std=c++17 -Wall -Wextra -Werror -Iinclude Tests/CConsumers/consumer.cpp \
	    -L$(BUILD) -lhepatix -Wl,-rpath,$(CURDIR)/$(BUILD) -o $(BUILD)/consumer-cpp
	HEPATIX_DICOM_STUDY=$(C_STUDY) HEPATIX_DICOM_OUT=$(C_OUT) HEPATIX_TINY_MODEL=$(C_OUT) HEPATIX_LIVER_OUT=$(C_OUT)/liver \
	    $(BUILD)/consumer-c
	.build/test-venv/bin/python ../shared/peers/dicom/validate_dicom_outputs.py --ct-dir $(C_STUDY) $(C_OUT)/c-seg.dcm $(C_OUT)/c-sr.dcm
	$(BUILD)/consumer-cpp
	Tests/CConsumers/check_exports.sh $(BUILD)/libhepatix.so include/hepatix.h
	scripts/check-install.sh

## bench: W1/W2/W3 against ASTRA, RTK and plastimatch, radiomics against PyRadiomics and Z-Rad, each
## in the same run (see BENCHMARKS.md)
bench: build
	scripts/bench-recon.sh
	scripts/bench-radiomics.sh
	scripts/bench-dicom.sh
	scripts/bench-inference.sh

## asan: the Swift tests under AddressSanitizer (debug build in .build-asan). Leak detection is off:
## at exit it reports the XCTest harness's own runtime allocations, not Hepatix's.
asan: deps
	ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test --sanitize=address --scratch-path .build-asan

## fuzz: the libFuzzer harnesses over the DICOM reader (ASan + UBSan) and over the ONNX loader and inference
## engines (ASan), FUZZ_SECONDS each (default 600)
fuzz: test-c
	scripts/fuzz-dicom.sh
	scripts/fuzz-onnx.sh

## install: header, shared library with the Swift runtime it needs, pkg-config file, CLI
install: build
	scripts/install.sh "$(PREFIX)" "$(BUILD)" "$(VERSION)" "$(SOVER)"

clean:
	rm -rf .build out

## test-env: the Python the tests use as independent judges and generators (pydicom, numpy, highdicom,
## pynetdicom, onnx) in .build/test-venv, the DICOM tools (dciodvfy, dsrdump, Orthanc) and headless Chromium
## (report screenshots) they run, and the
## onnx package's node test cases for the supported operators (.build/onnx-node-tests)
test-env: deps
	@scripts/install-deps.sh dcmtk dicom3tools orthanc orthanc-dicomweb chromium
	@[ -x .build/test-venv/bin/python ] || python3 -m venv .build/test-venv
	@.build/test-venv/bin/python -c "import pydicom, numpy, highdicom, pynetdicom, onnx" 2>/dev/null || \
	    .build/test-venv/bin/pip install -q pydicom==3.0.2 numpy highdicom==0.28.2 pynetdicom==3.0.4 onnx==1.23.2
	@[ .build/onnx-node-tests/manifest.json -nt Tests/Fixtures/onnx/supported_operators.txt ] || \
	    .build/test-venv/bin/python tools/onnx/gen_node_tests.py .build/onnx-node-tests Tests/Fixtures/onnx/supported_operators.txt
