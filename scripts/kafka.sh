#!/usr/bin/env bash
# Real Apache Kafka (3.9.1, KRaft, no ZooKeeper) as plain JVM processes, for tests and local runs.
# Jars come from Maven Central via infra/kafka/pom.xml; see infra/kafka/README.md.
#
#   scripts/kafka.sh fetch
#   scripts/kafka.sh start [--nodes 1|3] [--dir DIR] [--port BASE] [--keep]
#   scripts/kafka.sh stop [--dir DIR]
#   scripts/kafka.sh kill --node N [--dir DIR]
#   scripts/kafka.sh restart-node --node N [--dir DIR]
#   scripts/kafka.sh status [--dir DIR]
#
# Ports: node i (1-based) listens on BASE+100*(i-1) (PLAINTEXT, for clients) and
# BASE+100*(i-1)+1 (CONTROLLER). Default BASE 19092, so one node = 19092/19093,
# three nodes = 19092/19093, 19192/19193, 19292/19293.
#
# `start` and `restart-node` print the bootstrap list (127.0.0.1:P1,...) as the last
# line on stdout; all progress messages go to stderr.
#
# Environment overrides: KAFKA_HEAP_OPTS, KAFKA_JVM_OPTS (extra flags appended),
# KAFKA_READY_TIMEOUT (s, default 90), KAFKA_STOP_TIMEOUT (s, default 20).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
INFRA="$ROOT/infra/kafka"
LIBS="$INFRA/target/libs"
MARKER="$LIBS/.fetch-complete"
LOG4J="$INFRA/log4j.properties"
DEFAULT_DIR="$ROOT/.kafka/default"
DEFAULT_PORT=19092
READY_TIMEOUT="${KAFKA_READY_TIMEOUT:-90}"
STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-20}"
HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
# G1 flags = KAFKA_JVM_PERFORMANCE_OPTS of bin/kafka-run-class.sh; TieredStopAtLevel=1 only shortens startup.
PERF_OPTS="-XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:TieredStopAtLevel=1 -Djava.awt.headless=true"
READY_PATTERN='Kafka Server started'

log() { printf 'kafka.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
  sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# ---------------------------------------------------------------- fetch

pom_hash() { sha256sum "$INFRA/pom.xml" | cut -d' ' -f1; }

libs_ready() {
  [[ -f "$MARKER" && "$(cat "$MARKER")" == "$(pom_hash)" ]] && compgen -G "$LIBS/kafka_2.13-*.jar" > /dev/null
}

cmd_fetch() {
  if libs_ready; then
    log "jars cached in ${LIBS#"$ROOT"/}"
    return 0
  fi
  command -v mvn > /dev/null || die "mvn not found (needed once to fetch the Kafka jars)"
  mkdir -p "$INFRA/target"
  # Serialise concurrent fetches (two test runs, or a human and a test run).
  exec 8> "$INFRA/target/.fetch.lock"
  flock 8
  if ! libs_ready; then
    log "fetching Kafka jars from Maven Central into ${LIBS#"$ROOT"/} ..."
    local t0=$SECONDS out rc=0 staging="$INFRA/target/libs.new"
    rm -rf "$staging"
    # Maven 3.8 prints bare ANSI resets even with -q; strip them so the output stays readable.
    out="$(mvn -B -q -Dstyle.color=never -f "$INFRA/pom.xml" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory=target/libs.new 2>&1)" || rc=$?
    out="$(printf '%s\n' "$out" | sed -e 's/\x1b\[[0-9;]*m//g' -e '/^[[:space:]]*$/d')"
    [[ -z "$out" ]] || printf '%s\n' "$out" >&2
    ((rc == 0)) || die "maven failed (exit $rc)"
    compgen -G "$staging/kafka_2.13-*.jar" > /dev/null || die "maven finished but no kafka_2.13 jar in $staging"
    pom_hash > "$staging/.fetch-complete"
    # swap in one step, so a JVM starting meanwhile never sees a half-filled directory
    rm -rf "$LIBS.old"
    if [[ -d "$LIBS" ]]; then mv "$LIBS" "$LIBS.old"; fi
    mv "$staging" "$LIBS"
    rm -rf "$LIBS.old"
    log "fetched $(find "$LIBS" -name '*.jar' | wc -l) jars in $((SECONDS - t0)) s"
  fi
  flock -u 8
  exec 8>&-
}

# ---------------------------------------------------------------- helpers

DIR="$DEFAULT_DIR"
NODES=1
PORT="$DEFAULT_PORT"
NODE=""
KEEP=0

parse_args() {
  while (($#)); do
    case "$1" in
      --dir) DIR="${2:?--dir needs a value}"; shift 2 ;;
      --dir=*) DIR="${1#*=}"; shift ;;
      --nodes) NODES="${2:?--nodes needs a value}"; shift 2 ;;
      --nodes=*) NODES="${1#*=}"; shift ;;
      --port) PORT="${2:?--port needs a value}"; shift 2 ;;
      --port=*) PORT="${1#*=}"; shift ;;
      --node) NODE="${2:?--node needs a value}"; shift 2 ;;
      --node=*) NODE="${1#*=}"; shift ;;
      --keep) KEEP=1; shift ;;
      -h | --help) usage ;;
      *) die "unknown argument: $1" ;;
    esac
  done
  # Canonical path: node pids are matched against it in /proc/PID/cmdline.
  if [[ -d "$DIR" ]]; then DIR="$(cd "$DIR" && pwd -P)"; fi
}

plain_port() { echo $((PORT + 100 * ($1 - 1))); }
ctrl_port() { echo $((PORT + 100 * ($1 - 1) + 1)); }
node_dir() { echo "$DIR/node-$1"; }

bootstrap_list() {
  local i out=""
  for ((i = 1; i <= NODES; i++)); do out+="${out:+,}127.0.0.1:$(plain_port "$i")"; done
  echo "$out"
}

load_cluster() {
  [[ -f "$DIR/cluster.env" ]] || die "no cluster in $DIR (run: scripts/kafka.sh start --dir $DIR)"
  # shellcheck disable=SC1091
  source "$DIR/cluster.env"
}

check_node_arg() {
  [[ "$NODE" =~ ^[0-9]+$ ]] && ((NODE >= 1 && NODE <= NODES)) || die "--node must be 1..$NODES"
}

# Pid of node N if its JVM is alive. The command line is checked too, so a recycled pid is never signalled.
node_pid() {
  local f
  f="$(node_dir "$1")/pid"
  [[ -f "$f" ]] || return 1
  local pid
  pid="$(cat "$f")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "$(node_dir "$1")/server.properties" || return 1
  echo "$pid"
}

# True while the process exists and is not a zombie (a killed JVM may linger unreaped
# if its new parent is not a reaping init).
pid_alive() {
  local st
  st="$(sed 's/.*) //' "/proc/$1/stat" 2> /dev/null | cut -d' ' -f1)" || return 1
  [[ -n "$st" && "$st" != Z ]]
}

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2> /dev/null; }

# Base64url of 16 random bytes, no padding: the format of org.apache.kafka.common.Uuid
# (what `kafka-storage.sh random-uuid` prints), without paying for a JVM start.
random_uuid() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [[ "$id" == -* || "$id" == AAAAAAAAAAAAAAAAAAAAA[AB] ]] || break
  done
  echo "$id"
}

write_properties() { # node
  local n=$1 nd voters="" i
  nd="$(node_dir "$n")"
  for ((i = 1; i <= NODES; i++)); do voters+="${voters:+,}$i@127.0.0.1:$(ctrl_port "$i")"; done
  {
    echo "# Generated by scripts/kafka.sh; adapted from Kafka 3.9's config/kraft/server.properties."
    echo "process.roles=broker,controller"
    echo "node.id=$n"
    echo "controller.quorum.voters=$voters"
    echo "listeners=PLAINTEXT://127.0.0.1:$(plain_port "$n"),CONTROLLER://127.0.0.1:$(ctrl_port "$n")"
    echo "advertised.listeners=PLAINTEXT://127.0.0.1:$(plain_port "$n")"
    echo "controller.listener.names=CONTROLLER"
    echo "inter.broker.listener.name=PLAINTEXT"
    echo "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"
    echo "log.dirs=$nd/data"
    echo "num.partitions=3"
    echo "auto.create.topics.enable=true"
    echo "group.initial.rebalance.delay.ms=0"
    echo "# test speed-ups (defaults 50, 50, 8, 3)"
    echo "offsets.topic.num.partitions=3"
    echo "transaction.state.log.num.partitions=3"
    echo "num.io.threads=2"
    echo "num.network.threads=2"
    echo "num.recovery.threads.per.data.dir=1"
    if ((NODES == 1)); then
      echo "default.replication.factor=1"
      echo "min.insync.replicas=1"
      echo "offsets.topic.replication.factor=1"
      echo "transaction.state.log.replication.factor=1"
      echo "transaction.state.log.min.isr=1"
    else
      echo "default.replication.factor=$NODES"
      echo "min.insync.replicas=2"
      echo "offsets.topic.replication.factor=$NODES"
      echo "transaction.state.log.replication.factor=$NODES"
      echo "transaction.state.log.min.isr=2"
      echo "# fence a dead node (and drop it from ISRs) after 4 s instead of 9 s"
      echo "broker.heartbeat.interval.ms=500"
      echo "broker.session.timeout.ms=4000"
      echo "replica.lag.time.max.ms=10000"
    fi
  } > "$nd/server.properties"
}

format_node() { # node cluster-id
  local nd
  nd="$(node_dir "$1")"
  java -cp "$LIBS/*" "-Dlog4j.configuration=file:$LOG4J" kafka.tools.StorageTool format \
    -t "$2" -c "$nd/server.properties" --ignore-formatted > "$nd/format.log" 2>&1 || {
    cat "$nd/format.log" >&2
    return 1
  }
}

launch_node() { # node -> records the byte offset of kafka.log where this run starts
  local n=$1 nd
  nd="$(node_dir "$n")"
  touch "$nd/kafka.log"
  stat -c %s "$nd/kafka.log" > "$nd/log-offset"
  echo "==== scripts/kafka.sh: starting node $n at $(date -Is) ====" >> "$nd/kafka.log"
  # setsid: the JVM must not share the caller's process group (Ctrl-C in a test run, job control).
  # shellcheck disable=SC2086
  setsid java $HEAP_OPTS $PERF_OPTS ${KAFKA_JVM_OPTS:-} \
    "-Dlog4j.configuration=file:$LOG4J" "-Dkafka.logs.dir=$nd" \
    -cp "$LIBS/*" kafka.Kafka "$nd/server.properties" \
    < /dev/null >> "$nd/kafka.log" 2>&1 &
  echo $! > "$nd/pid"
}

node_ready() { # node
  local n=$1 nd off
  nd="$(node_dir "$n")"
  off="$(cat "$nd/log-offset" 2> /dev/null || echo 0)"
  tail -c +$((off + 1)) "$nd/kafka.log" | grep -qF "$READY_PATTERN" && port_open "$(plain_port "$n")"
}

log_tail() { # node
  local nd
  nd="$(node_dir "$1")"
  log "---- last lines of ${nd}/kafka.log ----"
  tail -n 40 "$nd/kafka.log" >&2 || true
}

wait_ready() { # nodes...
  local deadline=$((SECONDS + READY_TIMEOUT)) n pending
  pending=("$@")
  while ((${#pending[@]})); do
    local still=()
    for n in "${pending[@]}"; do
      if node_ready "$n"; then
        continue
      fi
      if ! node_pid "$n" > /dev/null; then
        log "node $n exited during startup"
        log_tail "$n"
        return 1
      fi
      still+=("$n")
    done
    pending=("${still[@]+"${still[@]}"}")
    ((${#pending[@]})) || break
    if ((SECONDS >= deadline)); then
      log "timed out after ${READY_TIMEOUT} s waiting for node(s) ${pending[*]}"
      for n in "${pending[@]}"; do log_tail "$n"; done
      return 1
    fi
    sleep 0.2
  done
}

signal_wait() { # timeout pids... : SIGTERM, wait, then SIGKILL
  local timeout=$1 pid deadline alive
  shift
  (($#)) || return 0
  kill -TERM "$@" 2> /dev/null || true
  deadline=$((SECONDS + timeout))
  while :; do
    alive=()
    for pid in "$@"; do pid_alive "$pid" && alive+=("$pid"); done
    ((${#alive[@]})) || return 0
    if ((SECONDS >= deadline)); then
      log "still running after ${timeout} s, sending SIGKILL to ${alive[*]}"
      kill -KILL "${alive[@]}" 2> /dev/null || true
      for pid in "${alive[@]}"; do while pid_alive "$pid"; do sleep 0.1; done; done
      return 0
    fi
    sleep 0.2
  done
}

stop_nodes() { # all nodes of the loaded cluster
  local i pid pids=()
  for ((i = 1; i <= NODES; i++)); do
    if pid="$(node_pid "$i")"; then pids+=("$pid"); fi
  done
  if ((${#pids[@]})); then
    log "stopping ${#pids[@]} node(s) in $DIR"
    signal_wait "$STOP_TIMEOUT" "${pids[@]}"
  fi
  for ((i = 1; i <= NODES; i++)); do rm -f "$(node_dir "$i")/pid"; done
}

# ---------------------------------------------------------------- commands

cmd_start() {
  parse_args "$@"
  [[ "$NODES" == 1 || "$NODES" == 3 ]] || die "--nodes must be 1 or 3"
  [[ "$PORT" =~ ^[0-9]+$ ]] && ((PORT > 0 && PORT + 100 * (NODES - 1) + 1 < 65536)) || die "bad --port $PORT"
  command -v java > /dev/null || die "java not found"
  cmd_fetch
  mkdir -p "$DIR"
  DIR="$(cd "$DIR" && pwd -P)"

  local wanted_nodes=$NODES wanted_port=$PORT i t0=$SECONDS
  if ((KEEP)) && [[ -f "$DIR/cluster.env" ]]; then
    # shellcheck disable=SC1091
    [[ "$(source "$DIR/cluster.env" && echo "$NODES:$PORT")" == "$NODES:$PORT" ]] ||
      die "--keep: $DIR holds a cluster with other --nodes/--port; start it with the same ones"
  fi
  # A previous instance in this dir (e.g. a test run that crashed) is stopped first.
  if [[ -f "$DIR/cluster.env" ]]; then
    (
      # shellcheck disable=SC1091
      source "$DIR/cluster.env"
      stop_nodes
    )
  fi
  NODES=$wanted_nodes PORT=$wanted_port

  for ((i = 1; i <= NODES; i++)); do
    for p in "$(plain_port "$i")" "$(ctrl_port "$i")"; do
      ! port_open "$p" || die "port $p is already in use (another broker? pick another --port)"
    done
  done

  local cid
  if ((KEEP)) && [[ -f "$DIR/cluster.env" ]]; then
    # shellcheck disable=SC1091
    cid="$(source "$DIR/cluster.env" && echo "$CLUSTER_ID")"
  else
    rm -rf "$DIR"/node-* "$DIR/cluster.env"
    cid="$(random_uuid)"
  fi
  printf 'NODES=%s\nPORT=%s\nCLUSTER_ID=%s\n' "$NODES" "$PORT" "$cid" > "$DIR/cluster.env"

  local fpids=()
  for ((i = 1; i <= NODES; i++)); do
    mkdir -p "$(node_dir "$i")"
    write_properties "$i"
    format_node "$i" "$cid" &
    fpids+=($!)
  done
  for pid in "${fpids[@]}"; do wait "$pid" || die "storage format failed"; done

  for ((i = 1; i <= NODES; i++)); do launch_node "$i"; done
  local all=()
  for ((i = 1; i <= NODES; i++)); do all+=("$i"); done
  if ! wait_ready "${all[@]}"; then
    stop_nodes
    die "cluster in $DIR did not start"
  fi
  log "$NODES node(s) ready in $((SECONDS - t0)) s (dir $DIR, cluster id $cid)"
  bootstrap_list
}

cmd_stop() {
  parse_args "$@"
  [[ -f "$DIR/cluster.env" ]] || {
    log "nothing to stop in $DIR"
    return 0
  }
  load_cluster
  stop_nodes
}

cmd_kill() {
  parse_args "$@"
  load_cluster
  check_node_arg
  local pid
  if pid="$(node_pid "$NODE")"; then
    kill -KILL "$pid"
    while pid_alive "$pid"; do sleep 0.05; done
    log "node $NODE (pid $pid) killed with SIGKILL"
  else
    log "node $NODE is not running"
  fi
  rm -f "$(node_dir "$NODE")/pid"
}

cmd_restart_node() {
  parse_args "$@"
  load_cluster
  check_node_arg
  if node_pid "$NODE" > /dev/null; then
    die "node $NODE is still running (kill or stop it first)"
  fi
  [[ -f "$(node_dir "$NODE")/data/meta.properties" ]] || die "node $NODE has no formatted storage in $DIR"
  cmd_fetch
  local t0=$SECONDS
  launch_node "$NODE"
  if ! wait_ready "$NODE"; then
    local pid
    if pid="$(node_pid "$NODE")"; then signal_wait 5 "$pid"; fi
    die "node $NODE did not come back"
  fi
  log "node $NODE ready again in $((SECONDS - t0)) s"
  bootstrap_list
}

status_one() {
  load_cluster
  local i pid state
  echo "$DIR  (nodes=$NODES, cluster id $CLUSTER_ID)"
  for ((i = 1; i <= NODES; i++)); do
    if pid="$(node_pid "$i")"; then
      if port_open "$(plain_port "$i")"; then state="up (pid $pid)"; else state="starting/unreachable (pid $pid)"; fi
    else
      state="down"
    fi
    printf '  node %d  127.0.0.1:%d  controller :%d  %s\n' "$i" "$(plain_port "$i")" "$(ctrl_port "$i")" "$state"
  done
}

cmd_status() {
  local explicit=0 a
  for a in "$@"; do [[ "$a" == --dir* ]] && explicit=1; done
  if ((explicit)); then
    parse_args "$@"
    status_one
    return 0
  fi
  parse_args "$@"
  local env found=0
  for env in "$ROOT"/.kafka/*/cluster.env; do
    [[ -f "$env" ]] || continue
    found=1
    (
      DIR="$(dirname "$env")"
      status_one
    )
  done
  ((found)) || echo "no clusters under $ROOT/.kafka"
  if libs_ready; then echo "jars: fetched (${LIBS#"$ROOT"/})"; else echo "jars: not fetched (scripts/kafka.sh fetch)"; fi
}

main() {
  local cmd="${1:-}"
  (($#)) && shift
  case "$cmd" in
    fetch) cmd_fetch ;;
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    kill) cmd_kill "$@" ;;
    restart-node) cmd_restart_node "$@" ;;
    status) cmd_status "$@" ;;
    *) usage ;;
  esac
}

main "$@"
