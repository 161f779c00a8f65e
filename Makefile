# biasaudit: the two commands of the README's quick start, and a few more.
SWIFT ?= swift
RELEASE_BIN := .build/release/biasaudit

.PHONY: help setup setup-browser build release test test-integration audit bench clean

## make help: these targets and what they do
help:
	@sed -n 's/^## //p' Makefile

setup:
	@scripts/setup.sh

setup-browser:
	@scripts/setup.sh --browser

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release

## make test: every unit, parity and end-to-end test (installs missing system packages first)
test: setup-browser
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## make test-integration: an audit through llama.cpp's OpenAI-compatible server (llama-cpp-python[server]
## from PyPI, built from source on first use) serving the tiny fixture model converted to GGUF
test-integration: build
	scripts/integration-llamacpp.sh

## make audit: the main job, the default audit of distilgpt2 and gpt2
audit: release
	$(RELEASE_BIN) run $(AUDIT_ARGS)

## make bench: generation throughput on random weights of the real shapes
bench: release
	scripts/bench.sh

## make clean: remove the build folder
clean:
	rm -rf .build
