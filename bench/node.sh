#!/usr/bin/env bash
# Node benchmark (issue 2): import, TAXII paging and observable look-up at N objects (default 1,000,000).
# Usage: bench/node.sh [OBJECTS] [WORK-DIR]   — figures go to stdout; see docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/find-jdk.sh
entente_find_jdk
./mvnw -B -q -pl entente-bench -am -DskipTests package
exec "$JAVA_HOME/bin/java" -Xmx1g -XX:+UseParallelGC -cp "entente-bench/target/entente-bench.jar:entente-bench/target/lib/*" \
  org.entente.bench.node.NodeBenchmark "${1:-1000000}" "${2:-bench/out}"
