#!/usr/bin/env bash
# Installs the Debian 12 packages turnd needs to build, test and benchmark.
# As root (or with passwordless sudo) it runs apt-get; otherwise it prints the
# one command to run. Packages already installed are left alone.
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build pkg-config
  libevent-dev libssl-dev openssl
  libpqxx-dev libpq-dev  # the PostgreSQL store (db/) and turnctl
  # tests and benchmarks
  googletest libgtest-dev libbenchmark-dev
  clang libclang-rt-14-dev clang-format  # fuzzers and sanitizers; the tree's format check
  coturn            # turnutils_* client tools and the reference server for benchmarks
  iproute2 procps psmisc python3
  systemd strace    # systemd-analyze/-sysusers/-tmpfiles, strace: tests of systemd/ and make install
  postgresql        # throwaway clusters for the db tests (initdb, pg_ctl)
  libsrtp2-dev libwebsockets-dev nlohmann-json3-dev  # the SFU (sfu/): SRTP, HTTPS+WSS, JSON
  chromium python3-websockets  # the SFU end to end: real WebRTC in headless Chromium, a WSS client
  nodejs            # drives Chromium (playwright-core from npm) in the SFU's browser tests
  firefox-esr xvfb xauth libnss3-tools  # Firefox ESR in the mixed-browser tests (puppeteer-core), an X server for it, certutil
  nftables          # the UDP-dropping firewall of the SFU firewall test (network namespaces)
  haproxy squid     # port 443 only: a load balancer sending the PROXY protocol, an HTTP CONNECT proxy
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm comes with NodeSource's nodejs; Debian packages it apart.
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0

cmd=(apt-get install -y --no-install-recommends "${missing[@]}")
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo=(sudo)
else
  echo "turnd needs these Debian packages: ${missing[*]}" >&2
  echo "run: sudo apt-get update && sudo ${cmd[*]}" >&2
  exit 1
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" "${cmd[@]}"
# Debian's coturn, haproxy and squid packages enable their own services; the
# tests start their own instances and never need those running.
if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
  "${sudo[@]}" systemctl disable --now coturn haproxy squid >/dev/null 2>&1 || true
fi
