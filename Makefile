# The two commands of the README: `make run` and `make test`.  Both first
# install whatever Debian packages are missing (scripts/deps), then build.

BUILD      ?= build
BUILD_SAN  ?= build-san
DB         ?= var/zerenzhi.db
LISTEN     ?= 127.0.0.1:8080
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)

# The sub-makes of cmake --build need not announce every directory.
MAKEFLAGS  += --no-print-directory

.PHONY: all deps web build build-san run test test-unit test-api bench clean

all: build

deps:
	@scripts/deps

# The web front end (web/dist, served by zerenzhi serve).  npm ci runs only
# when node_modules is missing or older than the lock file; the bundle is
# rebuilt only when a source file is newer than it.
WEB_SRC := $(shell find web/src web/public -type f 2>/dev/null) \
	web/index.html web/vite.config.js web/tools/dist-plugins.js web/package.json web/package-lock.json

web: deps web/dist/index.html

web/node_modules/.package-lock.json: web/package-lock.json
	@cd web && npm ci --no-audit --no-fund
	@touch $@

web/dist/index.html: web/node_modules/.package-lock.json $(WEB_SRC)
	@cd web && npm run build

build: deps web
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

build-san: deps
	@cmake -S . -B $(BUILD_SAN) -DCMAKE_BUILD_TYPE=Debug -DZRZ_SANITIZE=ON >/dev/null
	@cmake --build $(BUILD_SAN) -j $(JOBS)

run: build
	@if [ ! -e "$(DB)" ]; then \
		$(BUILD)/zerenzhi init --db sqlite:$(DB) --demo || exit 1; \
	else \
		$(BUILD)/zerenzhi init --db sqlite:$(DB) >/dev/null || exit 1; \
		if [ -f "$(dir $(DB))demo-logins.txt" ]; then \
			echo "演示账户（$(dir $(DB))demo-logins.txt）："; \
			grep -v '^#' "$(dir $(DB))demo-logins.txt" | sed 's/^/  /'; \
		fi; \
	fi
	@echo "在浏览器中打开 http://$(LISTEN)/ ，用上面的演示账户登录；按 Ctrl+C 停止。"
	@exec $(BUILD)/zerenzhi serve --db sqlite:$(DB) --listen $(LISTEN)

test: build build-san
	@scripts/test

bench: build
	@bench/run
	@bench/ledger

clean:
	rm -rf $(BUILD) $(BUILD_SAN)
