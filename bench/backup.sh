#!/usr/bin/env bash
# Backup and restore benchmark (issue 10): import N objects (default 1,000,000) into an embedded node,
# back it up with the built-in method, restore it into a fresh data folder.
# Usage: bench/backup.sh [OBJECTS] [WORK-DIR]   — figures go to stdout; see docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/find-jdk.sh
entente_find_jdk
./mvnw -B -q -pl entente-bench -am -DskipTests package
exec "$JAVA_HOME/bin/java" -Xmx1g -XX:+UseParallelGC -cp "entente-bench/target/entente-bench.jar:entente-bench/target/lib/*" \
  org.entente.bench.node.BackupBenchmark "${1:-1000000}" "${2:-bench/out}"
