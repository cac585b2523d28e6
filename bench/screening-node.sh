#!/usr/bin/env bash
# Screening as a service of the node (issue 13): a generated list of ENTRIES (default 1,000,000)
# imported into a node with its embedded PostgreSQL (kept in WORK-DIR between runs), the node
# started (index built from the database), checks over HTTP at 100 concurrent clients (closed loop
# and open loop at fixed rates) beside the library's single-thread rate on the same index, a
# 300-traveller manifest, memory per entry.
# Usage: bench/screening-node.sh [ENTRIES] [QUERIES] [SECONDS] [WORK-DIR] — figures on stdout; see docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/find-jdk.sh
entente_find_jdk
./mvnw -B -q -pl entente-bench -am -DskipTests package
exec "$JAVA_HOME/bin/java" -Xmx8g -cp "entente-bench/target/entente-bench.jar:entente-bench/target/lib/*" \
  org.entente.bench.screening.ScreeningNodeBenchmark "${1:-1000000}" "${2:-20000}" "${3:-20}" "${4:-bench/out}"
