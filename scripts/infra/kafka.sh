#!/usr/bin/env bash
# scripts/infra/kafka.sh {start|stop|status|brokers}
#
# A single-node Apache Kafka broker in KRaft mode (broker+controller in one JVM) on
# 127.0.0.1:${KAFKA_PORT:-59092}, controller listener on 127.0.0.1:${KAFKA_CONTROLLER_PORT:-59093},
# for integration tests and local runs. No Docker: the broker jars come from Maven Central
# through deploy/kafka/pom.xml (Kafka 3.9.x) and run on the machine's Java.
#
#   start    idempotent: returns at once when the broker is running and answers; otherwise fetches
#            the jars into $REPO/.cache/kafka/libs if missing (or if the pom changed), formats the
#            storage if needed (a stale or broken data folder is wiped and formatted again), starts
#            the broker in the background, waits until it is really ready (a probe topic has a leader
#            and the group coordinator answers) and prints the bootstrap address: 127.0.0.1:59092
#   stop     SIGTERM (controlled shutdown), SIGKILL after 30 s
#   status   exit 0 and print the address when running, exit 3 otherwise
#   brokers  print the address only
#
# Runtime state in $REPO/.infra/kafka: server.properties, log4j.properties, cluster.id, data/
# (log.dirs), kafka.pid, kafka.out (JVM stdout/stderr), logs/server.log (broker log).
# Java (openjdk-17-jre-headless) and Maven are installed with apt-get when missing.
# Env: KAFKA_PORT, KAFKA_CONTROLLER_PORT, KAFKA_HEAP (default -Xms256m -Xmx512m).
set -euo pipefail

SERVICE=kafka
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

KAFKA_PORT="${KAFKA_PORT:-59092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-59093}"
KAFKA_HEAP="${KAFKA_HEAP:--Xms256m -Xmx512m}"
HOST=127.0.0.1
BROKERS="$HOST:$KAFKA_PORT"

POM="$REPO/deploy/kafka/pom.xml"
LIBS="$CACHE_DIR/kafka/libs"
STAMP="$CACHE_DIR/kafka/libs.stamp"
KDIR="$INFRA_DIR/kafka"
DATA="$KDIR/data"
PROPS="$KDIR/server.properties"
LOG4J="$KDIR/log4j.properties"
TOOLS_LOG4J="$KDIR/tools-log4j.properties"
PIDFILE="$KDIR/kafka.pid"
OUT="$KDIR/kafka.out"
# what the broker's command line contains: tells our broker from a reused pid
PATTERN="kafka.Kafka $PROPS"

ensure_java() {
  command -v java >/dev/null || apt_install openjdk-17-jre-headless
}

# ensure_libs: copy the broker's runtime jars from Maven Central into .cache (only when missing or
# when deploy/kafka/pom.xml changed).
ensure_libs() {
  local want
  want="$(file_hash "$POM")"
  if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] && [ -d "$LIBS" ]; then return 0; fi
  command -v mvn >/dev/null || apt_install maven
  log "fetching Kafka jars with Maven into $LIBS"
  rm -rf "$LIBS" "$LIBS.tmp" "$STAMP"
  mkdir -p "$(dirname "$LIBS")"
  mvn -q -B -f "$POM" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$LIBS.tmp" \
    >"$CACHE_DIR/kafka/mvn.log" 2>&1 || { show_log "$CACHE_DIR/kafka/mvn.log"; die "mvn failed"; }
  mv "$LIBS.tmp" "$LIBS"
  echo "$want" >"$STAMP"
}

# cluster_id: a random 16-byte id in Kafka's url-safe base64 form, kept in $KDIR/cluster.id.
cluster_id() {
  local id
  if [ -s "$KDIR/cluster.id" ]; then cat "$KDIR/cluster.id"; return; fi
  id="-"
  while [ "${id#[-_]}" != "$id" ]; do   # a leading '-' would be read as an option
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
  done
  echo "$id" >"$KDIR/cluster.id"
  echo "$id"
}

write_config() {
  cat >"$PROPS" <<EOF
# written by scripts/infra/kafka.sh on every start
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA
num.partitions=4
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=true
delete.topic.enable=true
# single node: internal topics must have replication factor 1 or groups never find a coordinator
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
group.initial.rebalance.delay.ms=0
# after a kill -9 the controller keeps the old broker registration until its session expires:
# keep that short so a restart is quick (default 9 s)
broker.session.timeout.ms=4000
broker.heartbeat.interval.ms=1000
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.retention.hours=24
log.segment.bytes=67108864
EOF
  cat >"$LOG4J" <<'EOF'
# written by scripts/infra/kafka.sh: broker log to ${kafka.logs.dir}/server.log
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=${kafka.logs.dir}/server.log
log4j.appender.file.MaxFileSize=20MB
log4j.appender.file.MaxBackupIndex=2
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.org.apache.kafka.clients=WARN
EOF
  cat >"$TOOLS_LOG4J" <<'EOF'
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
}

run_tool() {
  java -Xmx256m -Dlog4j.configuration="file:$TOOLS_LOG4J" -cp "$LIBS/*" "$@"
}

# formatted: meta.properties of this cluster id and node id, and the bootstrap checkpoint.
formatted() {
  [ -f "$DATA/meta.properties" ] && [ -f "$DATA/bootstrap.checkpoint" ] \
    && grep -qx "cluster.id=$(cluster_id)" "$DATA/meta.properties" \
    && grep -qx "node.id=1" "$DATA/meta.properties"
}

format_storage() {
  log "formatting storage in $DATA"
  rm -rf "$DATA"
  run_tool kafka.tools.StorageTool format -t "$(cluster_id)" -c "$PROPS" >"$KDIR/format.log" 2>&1 \
    || { show_log "$KDIR/format.log"; die "kafka-storage format failed"; }
}

running() { pid_matches "$PIDFILE" "$PATTERN"; }
up() { running && port_listening "$KAFKA_PORT"; }
detail() { echo "pid $(cat "$PIDFILE"), log $KDIR/logs/server.log"; }
cmd_status() { report_status "$BROKERS" up detail; }

launch() {
  mkdir -p "$KDIR/logs"
  : >"$OUT"
  # shellcheck disable=SC2086 # KAFKA_HEAP holds several flags
  (cd "$KDIR" && exec nohup setsid java $KAFKA_HEAP -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$LOG4J" -Dkafka.logs.dir="$KDIR/logs" \
    -cp "$LIBS/*" kafka.Kafka "$PROPS" </dev/null >"$OUT" 2>&1 8>&-) &
  echo $! >"$PIDFILE"
}

probe() {
  if command -v node >/dev/null && [ -d "$REPO/node_modules/kafkajs" ]; then
    KAFKAJS_PATH="$REPO/node_modules/kafkajs" KAFKA_BROKER="$BROKERS" \
      timeout 30 node "$REPO/scripts/infra/kafka-probe.js" 8>&-
  else
    run_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$BROKERS" --create --if-not-exists \
      --topic privatelink-infra-ready --partitions 1 --replication-factor 1 >/dev/null 2>&1 \
      && run_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$BROKERS" \
        --describe --topic privatelink-infra-ready 2>/dev/null | grep -q 'Leader: 1'
  fi
}

# wait_ready: the JVM stays alive, the port opens, then the probe passes (90 s in all).
wait_ready() {
  local deadline=$((SECONDS + 90))
  until running && port_listening "$KAFKA_PORT"; do
    running || return 1
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
  until probe; do
    running || return 1
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.5
  done
}

cmd_start() {
  mkdir -p "$KDIR"
  lock_service
  reserve_ports "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"
  if running && ! grep -qx "listeners=PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT" "$PROPS"; then
    log "broker runs with other ports: restarting it"
    stop_pidfile "$PIDFILE" "$PATTERN" 30
  fi
  if running; then
    if port_listening "$KAFKA_PORT" && probe; then echo "$BROKERS"; return 0; fi
    log "broker (pid $(cat "$PIDFILE")) is not ready: waiting"
    if wait_ready; then echo "$BROKERS"; return 0; fi
    log "broker never got ready: restarting it"
    stop_pidfile "$PIDFILE" "$PATTERN" 30
  fi
  rm -f "$PIDFILE"
  if port_listening "$KAFKA_PORT" || port_listening "$KAFKA_CONTROLLER_PORT"; then
    die "port $KAFKA_PORT or $KAFKA_CONTROLLER_PORT is taken by another process (set KAFKA_PORT/KAFKA_CONTROLLER_PORT)"
  fi
  ensure_java
  ensure_libs
  write_config
  formatted || format_storage
  log "starting broker on $BROKERS"
  mkdir -p "$KDIR/logs" && : >"$KDIR/logs/server.log"
  launch
  if ! wait_ready; then
    show_log "$KDIR/logs/server.log"
    show_log "$OUT"
    if grep -q 'Address already in use' "$KDIR/logs/server.log" "$OUT" 2>/dev/null; then
      stop_pidfile "$PIDFILE" "$PATTERN" 10
      die "port $KAFKA_PORT or $KAFKA_CONTROLLER_PORT is in use (ss -tanp | grep $KAFKA_PORT)"
    fi
    log "broker did not get ready: wiping $DATA as stale and trying once more"
    stop_pidfile "$PIDFILE" "$PATTERN" 10
    rm -f "$KDIR/cluster.id"
    format_storage
    launch
    wait_ready || { show_log "$KDIR/logs/server.log"; show_log "$OUT"; die "kafka did not start"; }
  fi
  log "ready on $BROKERS (pid $(cat "$PIDFILE"), log $KDIR/logs/server.log)"
  echo "$BROKERS"
}

cmd_stop() {
  mkdir -p "$KDIR"
  lock_service
  stop_pidfile "$PIDFILE" "$PATTERN" 30
  log "stopped"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  brokers) echo "$BROKERS" ;;
  *) usage "start|stop|status|brokers" ;;
esac
