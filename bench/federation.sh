#!/usr/bin/env bash
# Federation benchmark (issue 11): import baseline, node-to-node sync over mutual TLS with verification,
# an idle cycle's requests, push latency over 200 objects.
# Usage: bench/federation.sh [OBJECTS=1000000] [WORK-DIR=bench/out] [PUSHES=200] — figures in docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/find-jdk.sh
entente_find_jdk
./mvnw -B -q -pl entente-bench -am -DskipTests package
exec "$JAVA_HOME/bin/java" -Xmx2g -XX:+UseParallelGC -cp "entente-bench/target/entente-bench.jar:entente-bench/target/lib/*" \
  org.entente.bench.federation.FederationBenchmark "${1:-1000000}" "${2:-bench/out}" "${3:-200}"
