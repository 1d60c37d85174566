#!/usr/bin/env bash
# Runs one benchmark of the bench module: ./bench.sh NAME [OPTIONS], or ./bench.sh --list.
# Builds the project first when any source is newer than the last build.
# Each benchmark prints one JSON object per line; the last line is its summary.
set -euo pipefail
cd "$(dirname "$0")"
stamp=bench/target/classpath.txt
if [[ ! -f $stamp ]] || [[ -n "$(find . -path ./bench/target -prune -o \( -name '*.java' -o -name pom.xml -o -path '*/src/main/resources/*' \) -newer "$stamp" -print -quit)" ]]; then
  echo "bench.sh: building..." >&2
  mvn -q -DskipTests package -pl bench -am >&2
  touch "$stamp"
fi
cp=""
for m in tensor autodiff hpo hypergrad storage-jdbc dashboard bench; do
  cp="$cp:$m/target/classes"
done
cp="${cp#:}:$(cat "$stamp")"
# The throughput collector for the training benchmark: it allocates whole feature maps per
# operation, and with G1 (humongous arrays) conv-4 MAML and FO-MAML steps measured about 3%
# slower. BENCH_JAVA_OPTS replaces the default.
default_opts=""
if [[ ${1:-} == fewshot-images ]]; then
  default_opts="-XX:+UseParallelGC"
fi
exec java --add-modules jdk.incubator.vector -Xss8m ${BENCH_JAVA_OPTS:-$default_opts} -cp "$cp" dev.bilevel.bench.Bench "$@" 2> >(grep -v 'WARNING: Using incubator modules' >&2)
