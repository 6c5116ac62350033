#!/bin/sh
# Regenerate mboKernel.wat from the MBO record layout (../mboLayout.ts) and compile it into
# mboKernel.wasm.ts (needs wabt's wat2wasm: apt-get install wabt). Both files are committed,
# so nobody else needs wabt; mboLayout.test.ts fails when either is stale.
set -e
cd "$(dirname "$0")/../../.."
exec npx tsx scripts/genMboKernel.ts
