#!/usr/bin/env bash
# Screening among namesakes (issue 12): a generated list of N persons (default 1,000,000) whose
# every full name has dozens of namesakes; queries are listed persons in other romanisations, one
# in ten in Arabic script, with exact date of birth and nationality. Prints build time, memory per
# entry, recall@10 (Latin, Arabic script) and single-thread latency against the targets.
# Usage: bench/screening-namesakes.sh [ENTRIES] [QUERIES] [SEED]   — see docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/find-jdk.sh
entente_find_jdk
./mvnw -B -q -pl entente-bench -am -DskipTests package
exec "$JAVA_HOME/bin/java" -Xmx6g -XX:+UseParallelGC -cp "entente-bench/target/entente-bench.jar:entente-bench/target/lib/*" \
  org.entente.bench.screening.NamesakeBenchmark "${1:-1000000}" "${2:-20000}" "${3:-12}"
