#!/usr/bin/env bash
# Sandbox area: tools the escape battery drives inside the sandbox (curl, perl, util-linux's mount/unshare/
# nsenter/setpriv), and bubblewrap + hyperfine for the start-up benchmark. Installs only what is missing.
set -euo pipefail
need=()
for pkg in bubblewrap hyperfine curl perl util-linux bash diffutils; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
