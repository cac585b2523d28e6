#!/usr/bin/env bash
# `entente validate` on a generated 1 GB bundle (about 2.46 million indicators) with a 128 MB heap:
# shows that the bundle is streamed, and the end-to-end rate (read + validate + pattern parse, one thread).
# Usage: bench/stix-validate-1gb.sh [WORK-DIR]   — see docs/BENCHMARKS.md (Node, STIX validation).
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-bench/out}"
mkdir -p "$work"
file="$work/indicators-1gb.json"
if [ ! -f "$file" ]; then
  python3 - "$file" <<'PY'
import random, sys, uuid
random.seed(1)
with open(sys.argv[1], "w") as f:
    f.write('{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[')
    n = size = 0
    while size < 1_050_000_000:
        ip = "10.%d.%d.%d" % (random.randrange(256), random.randrange(256), random.randrange(256))
        o = ('{"type":"indicator","spec_version":"2.1","id":"indicator--%s","created":"2024-01-01T00:00:00.000Z",'
             '"modified":"2024-01-01T00:00:00.000Z","name":"C2 %s","indicator_types":["malicious-activity"],'
             '"pattern":"[ipv4-addr:value = \'%s\']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z",'
             '"object_marking_refs":["marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"]}'
             ) % (uuid.UUID(int=random.getrandbits(128), version=4), ip, ip)
        if n:
            f.write(","); size += 1
        f.write(o); size += len(o); n += 1
    f.write("]}")
print("generated %s: %d objects, %d bytes" % (sys.argv[1], n, size))
PY
fi
. bin/find-jdk.sh
entente_find_jdk
./mvnw -B -q -pl entente-node -am -DskipTests package
/usr/bin/time -f "wall %e s, max RSS %M KB" "$JAVA_HOME/bin/java" -Xmx128m -jar entente-node/target/entente-node.jar validate "$file"
