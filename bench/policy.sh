#!/usr/bin/env bash
# Policy benchmark (issue 5): the decision point's cost per object at 10 and 1,000 agreements (JMH).
# Usage: bench/policy.sh [JMH options]   — figures in docs/BENCHMARKS.md, section "Policy".
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/find-jdk.sh
entente_find_jdk
./mvnw -B -q -pl entente-bench -am -DskipTests package
exec "$JAVA_HOME/bin/java" -Djmh.ignoreLock=true -cp "entente-bench/target/entente-bench.jar:entente-bench/target/lib/*" \
  org.openjdk.jmh.Main PolicyDecisionBenchmark -t 1 "$@"
