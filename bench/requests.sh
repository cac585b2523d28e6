#!/usr/bin/env bash
# Requests for assistance (issue 15): N requests exchanged between two nodes through their whole
# lifecycle, and the 24/7 desk's inbox at 1,000 and 100,000 open requests.
# Usage: bench/requests.sh [REQUESTS] [PER-SECOND] [WORK-DIR] [WARM-UP-REQUESTS]   — figures go to stdout; see docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/find-jdk.sh
entente_find_jdk
./mvnw -B -q -pl entente-bench -am -DskipTests package
exec "$JAVA_HOME/bin/java" -Xmx1g -cp "entente-bench/target/entente-bench.jar:entente-bench/target/lib/*" \
  org.entente.bench.requests.RequestsBenchmark "${1:-1000}" "${2:-20}" "${3:-bench/out}" "${4:-200}"
