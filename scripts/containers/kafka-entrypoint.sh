#!/bin/bash
# The official apache/kafka image's configuration contract: every KAFKA_<NAME> variable becomes
# the property <name> (lower case, "_" -> ".", "__" -> "_", "___" -> "-"), except the JVM option
# variables; CLUSTER_ID names the KRaft cluster. Storage is formatted on first start.
set -Eeuo pipefail
props=/opt/kafka/config/server.properties
: "${CLUSTER_ID:=5L6g3nShT-eMCtK--X86sw}"
{
  [[ -n ${KAFKA_LOG_DIRS:-} ]] || echo "log.dirs=/var/lib/kafka/data"
  while IFS='=' read -r name value; do
    case $name in
      KAFKA_HEAP_OPTS | KAFKA_OPTS | KAFKA_JVM_PERFORMANCE_OPTS | KAFKA_LOG4J_OPTS | KAFKA_JMX_OPTS | KAFKA_GC_LOG_OPTS) continue ;;
      KAFKA_[A-Z]*) ;;
      *) continue ;;
    esac
    key=${name#KAFKA_} && key=${key,,} && key=${key//___/-} && key=${key//__/@} && key=${key//_/.}
    printf '%s=%s\n' "${key//@/_}" "$value"
  done < <(env)
} >"$props"
java=(java -Djava.awt.headless=true -Dlog4j.configuration=file:/etc/kafka/docker/log4j.properties -cp '/opt/kafka/libs/*')
"${java[@]}" kafka.tools.StorageTool format -t "$CLUSTER_ID" -c "$props" --ignore-formatted >/dev/null
# shellcheck disable=SC2086 # the heap options are a word list, as in kafka-run-class.sh
exec "${java[@]}" ${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m} ${KAFKA_OPTS:-} kafka.Kafka "$props"
