# The two commands of the README:
#   make run    set up (idempotent) and serve the app at http://127.0.0.1:3000 on SQLite
#   make test   set up (idempotent) and run every test: unit + integration on SQLite and
#               PostgreSQL, then the Playwright suite against the release build
SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
# Tests exercise the Rust crates with the server feature set; `frontend` is built for wasm by
# cargo-leptos (building it on the host would unify `ssr` and `hydrate`).
RUST_PACKAGES := -p app -p tollgate

.PHONY: run test setup setup-test test-rust test-sqlite test-postgres build-release e2e lint bench

# --split: the pages most visitors never open are their own wasm files (app/src/ui/pages/lazy.rs);
# a wasm built without it cannot load them.
run: setup
	cargo leptos serve --split

setup:
	@scripts/setup.sh app

setup-test:
	@scripts/setup.sh test

test: setup-test lint test-rust build-release e2e

# rustfmt leaves `view!` blocks alone; leptosfmt checks those. clippy on the server build (app with ssr, server, tests) and on the browser build (app with
# hydrate, for wasm), never --all-features: the two feature sets must not be unified.
lint:
	cargo fmt --all -- --check
	leptosfmt --check app/src
	cargo clippy $(RUST_PACKAGES) --tests -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

test-rust: test-sqlite test-postgres

test-sqlite:
	cargo test $(RUST_PACKAGES)

# The URL goes through a file so that a failure of the script stops make with its message.
test-postgres:
	@mkdir -p .tmp && scripts/postgres.sh > .tmp/test-database-url
	TEST_DATABASE_URL="$$(cat .tmp/test-database-url)" cargo test $(RUST_PACKAGES)

# --precompress writes .br and .gz beside every bundle; the server sends them to browsers that
# accept them (tollgate.wasm goes out as 188 KB of brotli instead of 637 KB). cargo-leptos
# writes the gzip copies with a weaker setting than gzip -9 (tollgate.wasm: 280 KB against
# 238 KB); a browser that does not take brotli gets those, so they are redone with gzip -9.
build-release:
	cargo leptos build --release --split --precompress
	find target/site -name '*.gz' -exec sh -c 'for f; do gzip -9 -n -c "$${f%.gz}" > "$$f.tmp" && mv "$$f.tmp" "$$f" || exit 1; done' _ {} +

e2e:
	cd end2end && npx playwright test

# Load benchmark of the release server (wrk over real HTTP) on SQLite, then PostgreSQL, and
# the size of what a first visit downloads. Numbers go to the README by hand. The bench builds
# in its own target directory: cargo's bench build of `tollgate` would otherwise replace the
# cargo-leptos release binary the end-to-end suite runs.
BENCH := CARGO_TARGET_DIR=target/bench cargo bench -p tollgate --bench http
bench: build-release
	@scripts/setup.sh bench
	$(BENCH)
	@mkdir -p .tmp && scripts/postgres.sh > .tmp/test-database-url
	TEST_DATABASE_URL="$$(cat .tmp/test-database-url)" $(BENCH)
	@for f in target/site/pkg/*.wasm; do printf '%s: %s bytes, %s gzip -9\n' "$$f" "$$(wc -c < $$f)" "$$(gzip -9 -c $$f | wc -c)"; done
