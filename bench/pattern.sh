#!/usr/bin/env bash
# Detection benchmarks (issue 3). Usage: bench/pattern.sh [INDICATORS] [OBSERVATIONS] [WORK-DIR]
#   1. streaming matcher, realistic mix: compile time, heap per indicator, observations/s on one thread
#   2. the same with simple indicators only (the memory target is per simple indicator)
#   3. per-pair evaluator vs. parse-every-time vs. naive tree walk (JMH, conformance-suite shapes)
#   4. end to end: `entente match` on generated files (JSON parsing included), one matching thread
#   5. removals: 9 in 10 indicators removed while another thread matches; heap kept against a matcher
#      built from the rest, compaction time, observation latencies meanwhile
# Figures go to stdout; see docs/BENCHMARKS.md, section "Detection: patterning (issue 3)".
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/find-jdk.sh
entente_find_jdk
N=${1:-1000000}
M=${2:-10000000}
WORK=${3:-bench/out/pattern}
./mvnw -B -q -pl entente-bench -am -DskipTests package
CP="entente-bench/target/entente-bench.jar:entente-bench/target/lib/*"
JAVA="$JAVA_HOME/bin/java -Xmx4g -XX:+UseParallelGC"

echo "== 1. streaming matcher, realistic mix (pool of 1,000,000 pre-built SCOs: cold in cache)"
$JAVA -cp "$CP" org.entente.bench.pattern.MatcherBenchmark "$N" "$M" mix
echo "== 1b. the same, observations hot in cache (pool of 20,000, as when each is matched right after parsing)"
$JAVA -cp "$CP" org.entente.bench.pattern.MatcherBenchmark "$N" "$M" mix 20000
echo "== 2. simple indicators only (memory per simple indicator)"
$JAVA -cp "$CP" org.entente.bench.pattern.MatcherBenchmark "$N" 2000000 simple
echo "== 3. per-pair evaluation (JMH, one thread)"
"$JAVA_HOME/bin/java" -Djmh.ignoreLock=true -cp "$CP" org.openjdk.jmh.Main PatternEvalBenchmark -t 1
echo "== 4. end to end: entente match"
mkdir -p "$WORK"
if [ ! -s "$WORK/observations.jsonl" ]; then
  $JAVA -cp "$CP" org.entente.bench.pattern.PatternFiles "$N" "$M" "$WORK"
fi
ls -l "$WORK"
ENTENTE_JAVA_OPTS="-Xmx4g -XX:+UseParallelGC" /usr/bin/time -v ./entente match --indicators "$WORK/indicators.json" \
  --observations "$WORK/observations.jsonl" --output "$WORK/sightings.jsonl" 2>&1 \
  | grep -E "entente match|Maximum resident|Elapsed|User time"
wc -l "$WORK/sightings.jsonl"
echo "== 5. removals and compaction (heap against a matcher built from the indicators left)"
$JAVA -cp "$CP" org.entente.bench.pattern.CompactionBenchmark "$N"
