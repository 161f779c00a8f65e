# biasaudit: the two commands of the README's quick start, and a few more.
SWIFT ?= swift
RELEASE_BIN := .build/release/biasaudit

.PHONY: help setup setup-browser build release test test-integration check-fixtures audit bench clean

## make help: these targets and what they do
help:
	@sed -n 's/^## //p' Makefile

## make setup: install the system packages the build needs (as root; else name them)
setup:
	@scripts/setup.sh

## make setup-browser: the same, and chromium and poppler-utils for the tests' browser and print checks
setup-browser:
	@scripts/setup.sh --browser

## make build: a debug build of biasaudit (.build/debug/biasaudit)
build: setup
	$(SWIFT) build

## make release: a release build of biasaudit (.build/release/biasaudit)
release: setup
	$(SWIFT) build -c release

## make test: every unit, parity and end-to-end test (installs missing system packages first)
test: setup-browser
	$(SWIFT) build --build-tests
	SWIFT=$(SWIFT) scripts/test.sh

## make test-integration: an audit through llama.cpp's OpenAI-compatible server (llama-cpp-python[server]
## from PyPI, built from source on first use) serving the tiny fixture model converted to GGUF
test-integration: build
	scripts/integration-llamacpp.sh

## make check-fixtures: rerun every Tests/Fixtures/**/make_*.py into a temporary copy and compare with the
## committed files byte for byte (needs python3 with the pinned numpy, scipy, statsmodels, tokenizers; not in CI)
check-fixtures:
	scripts/check-fixtures.sh

## make audit: the main job, the default audit of distilgpt2 and gpt2
audit: release
	$(RELEASE_BIN) run $(AUDIT_ARGS)

## make bench: generation throughput on random weights of the real shapes
bench: release
	scripts/bench.sh

## make clean: remove the build folder
clean:
	rm -rf .build
