#!/usr/bin/env bash
# Screening benchmark (issue 4): index build, memory per entry, single-query latency and a
# 300-traveller manifest on a generated watchlist of N entries (default 1,000,000), with a
# 10,000-entry index as the in-process baseline.
# Usage: bench/screening.sh [ENTRIES] [QUERIES]   — figures go to stdout; see docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/find-jdk.sh
entente_find_jdk
./mvnw -B -q -pl entente-bench -am -DskipTests package
exec "$JAVA_HOME/bin/java" -Xmx6g -XX:+UseParallelGC -cp "entente-bench/target/entente-bench.jar:entente-bench/target/lib/*" \
  org.entente.bench.screening.ScreeningBenchmark "${1:-1000000}" "${2:-20000}"
