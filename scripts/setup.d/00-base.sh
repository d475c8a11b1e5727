#!/usr/bin/env bash
# Base packages: SQLite headers for GRDB. Installs only what is missing.
set -euo pipefail
need=()
for pkg in libsqlite3-dev sqlite3; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
