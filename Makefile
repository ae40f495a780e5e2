# logrx: the two commands of the README are `make demo` and `make test`.
SWIFT ?= swift
DEMO_LOGS = Corpus/logs/guide/30-first-deploy-combined.txt

.PHONY: setup build release demo test rules record format clean e2e bench realapps fuzz install

setup:
	@scripts/setup

build: setup
	$(SWIFT) build

## The Swift runtime and Foundation linked in statically: one file to copy, and ~10 ms less
## start-up per run (no dynamic relocation of libFoundation); deploy/Containerfile does the same.
release: setup
	$(SWIFT) build -c release --static-swift-stdlib --product logrx

## Install under PREFIX (default /usr/local; DESTDIR for packaging): the binary stripped, its
## debug info kept apart in lib/debug (gdb finds it through the binary's debuglink), a man page
## per command made from the binary's help, and bash, zsh and fish completions.
## BIN=path installs a binary already built instead of building the release one.
PREFIX ?= /usr/local
BIN ?=
INSTALL_BIN = $(or $(BIN),.build/release/logrx)
ROOT = $(DESTDIR)$(PREFIX)
install: $(if $(BIN),,release)
	install -d $(ROOT)/bin $(ROOT)/lib/debug$(PREFIX)/bin $(ROOT)/share/man/man1 \
	  $(ROOT)/share/bash-completion/completions $(ROOT)/share/zsh/site-functions $(ROOT)/share/fish/vendor_completions.d
	objcopy --only-keep-debug $(INSTALL_BIN) $(ROOT)/lib/debug$(PREFIX)/bin/logrx.debug
	chmod 0644 $(ROOT)/lib/debug$(PREFIX)/bin/logrx.debug
	strip --strip-debug --strip-unneeded -o $(ROOT)/bin/logrx.tmp $(INSTALL_BIN)
	cd $(ROOT)/lib/debug$(PREFIX)/bin && objcopy --add-gnu-debuglink=logrx.debug $(ROOT)/bin/logrx.tmp
	chmod 0755 $(ROOT)/bin/logrx.tmp && mv -f $(ROOT)/bin/logrx.tmp $(ROOT)/bin/logrx
	scripts/manpages.py $(ROOT)/bin/logrx $(ROOT)/share/man/man1
	$(ROOT)/bin/logrx --generate-completion-script bash > $(ROOT)/share/bash-completion/completions/logrx
	$(ROOT)/bin/logrx --generate-completion-script zsh > $(ROOT)/share/zsh/site-functions/_logrx
	$(ROOT)/bin/logrx --generate-completion-script fish > $(ROOT)/share/fish/vendor_completions.d/logrx.fish

## Explain the guide's first failed deploy (build log, pod table and pod log in one paste).
demo: release
	.build/release/logrx explain $(DEMO_LOGS) || test $$? -eq 1

## Build everything and run every test (unit, rule examples, corpus goldens, CLI).
test:
	scripts/setup --test
	scripts/embed-rules.py --check
	$(SWIFT) build --build-tests --explicit-target-dependency-import-check error
	$(SWIFT) test --skip-build

## Compile Rules/ into the binary (BuiltinRules.generated.swift) and Docs/rules.md after editing a rule.
rules:
	$(SWIFT) run logrx rules embed Rules -o Sources/LogrxRules/BuiltinRules.generated.swift
	scripts/embed-rules.py

## Re-record the corpus goldens (review the diff before committing).
record: setup
	LOGRX_RECORD=1 $(SWIFT) test --filter CorpusTests

## Throughput, memory, watch latency and start-up against ripgrep on the same signatures;
## prints one table. BENCH_SIZE=1G for the table in BENCHMARKS.md (default 256M).
bench: release
	scripts/bench/run

E2E_APP ?= Corpus/apps/v2-starter.migrated

## Build an app tree with the real S2I Python builder scripts and check that /admin/ and its CSS
## are served (needs root and S2I_PYTHON_CONTAINER=<checkout of sclorg/s2i-python-container>;
## not part of `make test`). `make e2e E2E_APP=Corpus/apps/v2-starter` shows the unfixed app fail.
e2e:
	scripts/e2e.sh $(E2E_APP)

## Fuzz the ingest decoders (LineReader + LogDecoder, gzip, tar) and the rule loader for
## FUZZ_SECONDS (default 60) with libFuzzer (swiftc -sanitize=fuzzer), from the seeds in
## Tests/Fixtures/fuzz; a crash or hang is written to .build/fuzz/ (crash-*, timeout-*). Not
## part of `make test`. FUZZ_ENGINE=random uses the seeded random driver instead.
FUZZ_SECONDS ?= 60
FUZZ_ENGINE ?= libfuzzer
fuzz: setup
ifeq ($(FUZZ_ENGINE),random)
	$(SWIFT) build --product logrx-fuzz
	cd .build && debug/logrx-fuzz --seconds $(FUZZ_SECONDS) ../Tests/Fixtures/fuzz
else
	$(SWIFT) build --scratch-path .build/fuzz -c release --product logrx-fuzz -Xswiftc -sanitize=fuzzer -Xswiftc -DLIBFUZZER -Xswiftc -use-ld=lld
	mkdir -p .build/fuzz/corpus
	.build/fuzz/release/logrx-fuzz -max_total_time=$(FUZZ_SECONDS) -max_len=262144 -timeout=10 -rss_limit_mb=1024 \
	  -artifact_prefix=.build/fuzz/ -print_final_stats=1 .build/fuzz/corpus Tests/Fixtures/fuzz
endif

format:
	$(SWIFT) format --in-place --recursive Sources Tests Package.swift

clean:
	rm -rf .build

## Judge `logrx fix --source` on the real V2 trees of Corpus/realapps (trees materialised from
## the fetch tool's mirrors: scripts/realapps/fetch-trees lists the repositories it lacks).
## REALAPPS_ARGS='--split test' for the held-out part only.
realapps: build
	scripts/realapps/fetch-trees
	python3 scripts/realapps/judge.py --logrx $(CURDIR)/.build/debug/logrx $(REALAPPS_ARGS)
