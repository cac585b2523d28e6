#!/usr/bin/env bash
# Long fuzz run of the pattern parser and evaluator (issue 3). Usage: bench/pattern-fuzz.sh [TRIES-PER-PROPERTY]
# ./mvnw verify runs the same properties with 1,500 tries each (entente-pattern/src/test/resources/junit-platform.properties).
set -euo pipefail
cd "$(dirname "$0")/.."
TRIES=${1:-200000}
./mvnw -B -pl entente-pattern -am test -Dtest=PatternFuzzTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Djqwik.tries.default="$TRIES" 2>&1 | grep -E "Tests run|FAIL|Sample|ERROR\]" || true
grep -hE "^(tries|checks|seed) " entente-pattern/target/surefire-reports/org.entente.pattern.PatternFuzzTest-output.txt
