# steamgs: build, test and run targets. `make test` works on a fresh machine
# that has only Go and gcc: it installs the system packages it needs first.

GO          ?= go
SHELL       := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

# Ebiten (example_game's window side) needs cgo and the X11/GL headers; its
# tests need a display, which Xvfb provides.
APT_PACKAGES := libc6-dev libgl1-mesa-dev libxcursor-dev libxi-dev libxinerama-dev \
	libxrandr-dev libxxf86vm-dev libasound2-dev pkg-config xvfb xauth libgl1-mesa-dri

# Valve's redistributable libsteam_api (SDK 1.61) for the steamworks back end's
# real-library tests, fetched into a cache outside the repository.
STEAM_LIB_MODULE := github.com/hajimehoshi/go-steamworks@v0.0.0-20251207152439-f178e387e2a4
STEAM_LIB_CACHE  ?= $(HOME)/.cache/steamgs/steam-lib
STEAM_API_LIB    ?= $(STEAM_LIB_CACHE)/libsteam_api.so
export STEAM_API_LIB

STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.6.1
XVFB_RUN    := xvfb-run -a -s "-screen 0 1024x768x24"

# Where the screenshot tests leave their PNG files (outside the sources).
SCREENSHOTS ?= $(CURDIR)/bin/screenshots

# Packages that must build without cgo and without Ebiten.
HEADLESS := ./steamgs/... ./components/... ./systems/... ./ecs/... \
	./example_game/cmd/dedicated ./example_game/cmd/bot ./example_game/cmd/demo

.PHONY: all test run bench deps steam-lib lint fmt-check vet vet-cross headless-check tidy-check generate-check

all: test

## deps: install the system packages Ebiten and its tests need, when missing.
deps:
	@if dpkg -s $(APT_PACKAGES) >/dev/null 2>&1; then exit 0; fi; \
	SUDO=; if [ "$$(id -u)" != 0 ]; then SUDO=sudo; fi; \
	echo "installing system packages: $(APT_PACKAGES)"; \
	$$SUDO apt-get update -qq; \
	DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(APT_PACKAGES) >/dev/null

## steam-lib: fetch Valve's libsteam_api into $(STEAM_LIB_CACHE) (never into the repository).
steam-lib: $(STEAM_API_LIB)

$(STEAM_API_LIB):
	@mkdir -p "$(STEAM_LIB_CACHE)"
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	dir=$$(cd "$$tmp" && GONOSUMDB=github.com/hajimehoshi/go-steamworks GOFLAGS=-mod=mod \
		$(GO) mod download -json $(STEAM_LIB_MODULE) | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$$/\1/p'); \
	lib=$$(find "$$dir" \( -name libsteam_api64.so -o -path '*linux64*' -name libsteam_api.so \) | head -n1); \
	if [ -z "$$lib" ]; then echo "steam-lib: no linux64 libsteam_api in $$dir" >&2; exit 1; fi; \
	cp "$$lib" "$@.tmp" && mv "$@.tmp" "$@"; \
	echo "steam-lib: $@ (from $$lib)"

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

## tidy-check: go.mod and go.sum are exactly what `go mod tidy` writes.
tidy-check:
	$(GO) mod tidy -diff

## generate-check: the generated files (stringer's String methods) are what
## `go generate` writes now.
generate-check:
	$(GO) generate ./steamgs/...
	@if ! git diff --quiet -- '*_string.go'; then \
		echo "go generate changed these files; commit them:"; git diff --stat -- '*_string.go'; exit 1; fi

## vet-cross: go vet of the headless packages as built for Windows and macOS
## without cgo, so that code behind build tags for those platforms is checked too.
CROSS_PLATFORMS := windows/amd64 windows/arm64 darwin/amd64 darwin/arm64

vet-cross:
	@for p in $(CROSS_PLATFORMS); do \
		echo "go vet ($$p, CGO_ENABLED=0)"; \
		CGO_ENABLED=0 GOOS=$${p%/*} GOARCH=$${p#*/} $(GO) vet $(HEADLESS) || exit 1; \
	done

lint:
	$(GO) run $(STATICCHECK) ./...

## headless-check: the library, the ECS and the headless binaries build without cgo or Ebiten.
headless-check:
	CGO_ENABLED=0 $(GO) build $(HEADLESS)
	@if $(GO) list -deps $(HEADLESS) | grep -q hajimehoshi/ebiten; then \
		echo "a headless package depends on Ebiten:"; $(GO) list -deps $(HEADLESS) | grep hajimehoshi/ebiten; exit 1; fi

## test: everything CI checks. Tests run with the race detector under Xvfb;
## the real-library tests must run (STEAMGS_REQUIRE_STEAM_LIB=1), the
## screenshots go to $(SCREENSHOTS), and the tests may not change the
## source tree.
test: deps steam-lib fmt-check tidy-check generate-check vet vet-cross headless-check lint
	@before=$$(git status --porcelain --untracked-files=all 2>/dev/null || true); \
	STEAMGS_REQUIRE_STEAM_LIB=1 STEAMGS_SCREENSHOT_DIR="$(SCREENSHOTS)" \
		$(XVFB_RUN) $(GO) test -race -count=1 -timeout 30m ./...; \
	after=$$(git status --porcelain --untracked-files=all 2>/dev/null || true); \
	if [ "$$before" != "$$after" ]; then \
		echo "the tests changed the source tree:"; diff <(echo "$$before") <(echo "$$after") || true; exit 1; fi; \
	echo "screenshots: $(SCREENSHOTS)"

## bench: run the benchmarks and print the ratios the project targets. The
## tick benchmarks, a few hundred nanoseconds each, run five more times:
## the ratios take the median of each benchmark's runs.
bench: deps steam-lib
	@mkdir -p bin
	$(XVFB_RUN) $(GO) test -run='^$$' -bench=. -benchmem -count=1 -timeout 30m ./... | tee bin/bench.txt
	$(GO) test -run='^$$' -bench='^(BenchmarkTick|BenchmarkUpdateUserData)$$' -benchmem -count=5 ./ecs | tee -a bin/bench.txt
	@$(GO) run ./internal/benchratio < bin/bench.txt

## run: the example on the embedded Steam: the listen server window when a
## display is available (after installing what Ebiten needs), else the
## dedicated server with headless bot clients, which needs no system package.
run:
	@if [ -n "$${DISPLAY:-}" ]; then \
		$(MAKE) --no-print-directory deps && $(GO) run ./example_game/cmd/listen; \
	else \
		CGO_ENABLED=0 $(GO) run ./example_game/cmd/demo; \
	fi
