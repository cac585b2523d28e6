#!/usr/bin/env bash
# STIX validation benchmark (issue 2, point 2): objects per second for streaming read, read + validate,
# and validate alone, on one thread. Usage: bench/stix.sh [JMH-OPTIONS]  — see docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/find-jdk.sh
entente_find_jdk
./mvnw -B -q -pl entente-bench -am -DskipTests package
exec "$JAVA_HOME/bin/java" -cp "entente-bench/target/entente-bench.jar:entente-bench/target/lib/*" \
  org.openjdk.jmh.Main StixValidationBenchmark -t 1 "$@"
