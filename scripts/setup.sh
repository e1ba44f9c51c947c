#!/usr/bin/env bash
# Installs what building and testing Tollgate needs, skipping whatever is already there.
#   scripts/setup.sh app    tools to build and run the app (wasm target, cargo-leptos,
#                           wasm-bindgen-cli, tailwind, wasm-opt)
#   scripts/setup.sh test   the above plus Playwright and Chromium for the end-to-end suite
#   scripts/setup.sh bench  wrk, the load generator of `make bench`
# Versions that were verified on these machines are in ../shared/docs/TOOLCHAIN.md and docs/.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.11
LEPTOSFMT_VERSION=0.1.33
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(cargo leptos --version 2>/dev/null || true)" != "cargo-leptos $CARGO_LEPTOS_VERSION" ]; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 12 minutes on 2 cores)"
  # Its lock file needs a newer rustc than stable here; the image's nightly builds it.
  # no_downloads: use tailwind/wasm-opt/wasm-bindgen from PATH, never fetch binaries.
  if rustup toolchain list | grep -q '^nightly'; then
    cargo +nightly install --locked "cargo-leptos@$CARGO_LEPTOS_VERSION" --features no_downloads
  else
    cargo install "cargo-leptos@$CARGO_LEPTOS_VERSION" --features no_downloads
  fi
fi

if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: its locked webpki-roots is not on the registry mirror.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if [ ! -x node_modules/.bin/tailwindcss ] || [ ! -x node_modules/.bin/wasm-opt ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing tailwind and wasm-opt (npm)"
  npm ci --no-audit --no-fund
fi

if [ "${1:-app}" = "test" ]; then
  if [ "$(leptosfmt --version 2>/dev/null || true)" != "leptosfmt $LEPTOSFMT_VERSION" ]; then
    say "installing leptosfmt $LEPTOSFMT_VERSION (checks view! formatting; about 2 minutes)"
    cargo install --locked "leptosfmt@$LEPTOSFMT_VERSION"
  fi
  if [ ! -d end2end/node_modules/@playwright/test ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    say "installing Playwright (npm)"
    (cd end2end && npm ci --no-audit --no-fund)
  fi
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Chromium (Debian package)"
    export DEBIAN_FRONTEND=noninteractive
    as_root=(); [ "$(id -u)" = 0 ] || as_root=(sudo -E)
    "${as_root[@]}" apt-get update -qq
    "${as_root[@]}" apt-get install -y -qq chromium >/dev/null
  fi
fi
if [ "${1:-app}" = "bench" ] && ! command -v wrk >/dev/null; then
  say "installing wrk (Debian package)"
  export DEBIAN_FRONTEND=noninteractive
  as_root=(); [ "$(id -u)" = 0 ] || as_root=(sudo -E)
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" apt-get install -y -qq wrk >/dev/null
fi
say "tools ready"
