#!/usr/bin/env bash
# `npm run typecheck:infra`: type-checks sst.config.ts and infra/ without an AWS account.
# `sst install` only writes .sst/platform (the components' types) from the npm registry;
# nothing here deploys, diffs or reads credentials.
set -euo pipefail
cd "$(dirname "$0")/.."

config_home=$(mktemp -d)
trap 'rm -rf "$config_home"' EXIT

SST_SKIP_DEPENDENCY_CHECK=true \
SST_TELEMETRY_DISABLED=1 \
SST_NO_BUN=1 \
SST_STAGE=ci \
XDG_CONFIG_HOME="$config_home" \
AWS_EC2_METADATA_DISABLED=true \
  npx --no-install sst install

npx --no-install tsc -p tsconfig.infra.json
echo "typecheck:infra: sst.config.ts and infra/ type-check"
