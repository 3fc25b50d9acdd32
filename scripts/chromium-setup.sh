#!/usr/bin/env bash
# Make sure Debian's Chromium is installed (for browser tests). Idempotent.
# Headless use as root needs flags such as:
#   chromium --headless --no-sandbox --disable-gpu --no-first-run \
#            --disable-background-networking --disable-component-update --disable-sync
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

find_chromium() { command -v chromium 2>/dev/null || { [[ -x /usr/bin/chromium ]] && echo /usr/bin/chromium; }; }

bin="$(find_chromium || true)"
if [[ -z "$bin" ]]; then
  if [[ "$(id -u)" != 0 ]]; then
    echo "chromium-setup: ERROR: chromium is not installed; run as root, or: sudo apt-get install -y chromium" >&2
    exit 1
  fi
  echo "chromium-setup: installing chromium from Debian (takes about a minute)" >&2
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
  bin="$(find_chromium)" || { echo "chromium-setup: ERROR: chromium still missing after apt-get install" >&2; exit 1; }
fi
echo "chromium-setup: ok: $("$bin" --version 2>/dev/null || echo "$bin (version unknown)") at $bin" >&2
