#!/usr/bin/env bash
# Make sure the given Debian packages are installed.
#
#   scripts/ensure-system-packages.sh PKG...
#
# As root the missing ones are installed with apt-get (one `apt-get update` at
# most); otherwise the script names them and exits 1, so nothing half-works.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 PKG..." >&2
    exit 2
fi

# A bare CI environment may have a minimal PATH without the sbin directories.
PATH="${PATH:-/usr/bin:/bin}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

is_installed() {
    # `dpkg -s` also succeeds for removed packages whose config files remain
    # ("deinstall ok config-files"), so compare the full status instead.
    [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ] && return 0
    # Chromium may come from elsewhere (snap, manual install): the binary is what matters.
    [ "$1" = chromium ] && command -v chromium >/dev/null 2>&1 && return 0
    return 1
}

missing=()
for pkg in "$@"; do
    is_installed "$pkg" || missing+=("$pkg")
done

[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "Missing system packages: ${missing[*]}" >&2
    echo "Install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
fi

echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Wait for the dpkg lock instead of failing if another apt run holds it.
apt_opts=(-o DPkg::Lock::Timeout=300)
apt-get "${apt_opts[@]}" update -qq
apt-get "${apt_opts[@]}" install -y -qq --no-install-recommends "${missing[@]}"
