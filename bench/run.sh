#!/usr/bin/env bash
# Runs the PlugIt proxy benchmarks of docs/performance.md against servers
# it starts on 127.0.0.1, and writes every wrk output, CPU profile and
# result line to one folder. About 8 minutes on 2 cores.
#
#   bench/run.sh                        # every part
#   BENCH_PARTS=pages bench/run.sh      # some of pages, memory, hosted, repeat
#
# Settings (environment):
#   BENCH_PARTS     parts to run, default "pages memory hosted repeat"
#   BENCH_REPEAT    extra rounds of the 64-connection page runs, default 2
#   BENCH_DURATION  length of each measured wrk run, default 10s
#   BENCH_WARMUP    unmeasured wrk run before each measured one, default 1s
#   BENCH_OUT       result folder, default a new /tmp/plugit-bench.XXXXXX
# Needs Go and wrk (Debian: apt-get install wrk).
set -euo pipefail

PARTS=${BENCH_PARTS:-pages memory hosted repeat}
REPEAT=${BENCH_REPEAT:-2}
DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-1s}
OUT=${BENCH_OUT:-$(mktemp -d /tmp/plugit-bench.XXXXXX)}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$OUT/bin
LUA=$ROOT/bench/report.lua
IDLE_CONNS=10000
SESSIONS=100000
UPLOAD_BYTES=$((1 << 30))

SERVER_PIDS=()

log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }
fail() { log "error: $*"; exit 1; }

cleanup() {
  for pid in "${SERVER_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

# start_server NAME ARGS...: runs benchserver ARGS in the background,
# waits for its ready file and loads its variables; SERVER_PID is its pid.
start_server() {
  local name=$1
  shift
  local ready=$OUT/$name.env
  rm -f "$ready"
  "$BIN/benchserver" "$@" -ready "$ready" >"$OUT/$name.log" 2>&1 &
  SERVER_PID=$!
  SERVER_PIDS+=("$SERVER_PID")
  for _ in $(seq 300); do
    if [[ -s $ready ]]; then
      # shellcheck disable=SC1090
      . "$ready"
      return
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || fail "$name stopped at start, see $OUT/$name.log"
    sleep 0.1
  done
  fail "$name not ready after 30 s, see $OUT/$name.log"
}

stop_server() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# cpu_ticks PID: the user and system CPU time of a process, in clock
# ticks: fields 14 and 15 of /proc/PID/stat. The fields split on spaces
# because the name benchserver has none.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# measure LABEL CONNS URL [COOKIE]: a warm-up run, then a measured wrk
# run whose RESULT line goes to results.tsv. Three columns follow wrk's:
# the CPU time in microseconds that the front and the backend processes
# spent per request, and the 1-minute load average after the run.
# WRK_PATHS and WRK_DELAY_MS pass through to report.lua.
measure() {
  local label=$1 conns=$2 url=$3 cookie=${4:-}
  local threads=2
  ((conns >= 2)) || threads=1
  local args=(-t"$threads" -c"$conns" --timeout 10s --latency -s "$LUA")
  [[ -n $cookie ]] && args+=(-H "Cookie: $cookie")

  WRK_LABEL=warmup wrk "${args[@]}" -d"$WARMUP" "$url" >/dev/null
  echo "WRK_LABEL=$label WRK_PATHS='${WRK_PATHS:-}' WRK_DELAY_MS=${WRK_DELAY_MS:-0}" \
    "wrk -t$threads -c$conns -d$DURATION --timeout 10s --latency -s bench/report.lua" \
    "${cookie:+-H 'Cookie: <session>'} $url" >>"$OUT/commands.txt"
  local front0 backend0
  front0=$(cpu_ticks "$FRONT_PID")
  backend0=$(cpu_ticks "$BACKEND_PID")
  WRK_LABEL=$label wrk "${args[@]}" -d"$DURATION" "$url" >"$OUT/wrk-$label.txt"
  local front=$(($(cpu_ticks "$FRONT_PID") - front0)) backend=$(($(cpu_ticks "$BACKEND_PID") - backend0))

  local line
  line=$(grep '^RESULT' "$OUT/wrk-$label.txt") || fail "no result from wrk for $label"
  line+=$(awk -v f="$front" -v b="$backend" -v n="$(cut -f7 <<<"$line")" -v hz="$CLK_TCK" \
    -v loadavg="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN { printf "\t%.0f\t%.0f\t%s", f * 1e6 / hz / n, b * 1e6 / hz / n, loadavg }')
  echo "$line" >>"$OUT/results.tsv"
  log "$line"
  [[ $(cut -f6 <<<"$line") == 0 ]] || log "warning: $label had failed requests, see $OUT/wrk-$label.txt"
}

# rps LABEL: the requests per second of a finished measurement.
rps() { awk -F'\t' -v l="$1" '$2 == l { print $3 }' "$OUT/results.tsv"; }

# delay_for RPS CONNS: the pause per connection, in ms, that makes CONNS
# connections send half of RPS requests per second.
delay_for() { awk -v r="$1" -v c="$2" 'BEGIN { d = int(c * 1000 / (r / 2) + 0.5); print (d < 1 ? 1 : d) }'; }

# profile LABEL URL COOKIE: a CPU profile of the front process while wrk
# loads URL with 64 connections, and its top functions.
profile() {
  local label=$1 url=$2 cookie=$3
  curl -sf -o "$OUT/cpu-$label.pprof" "$PPROF_URL/debug/pprof/profile?seconds=8" &
  local curl_pid=$!
  wrk -t2 -c64 -d10s -H "Cookie: $cookie" "$url" >"$OUT/wrk-profile-$label.txt"
  wait "$curl_pid"
  go tool pprof -top -nodecount=30 "$BIN/benchserver" "$OUT/cpu-$label.pprof" >"$OUT/pprof-$label-flat.txt" 2>/dev/null
  go tool pprof -top -cum -nodecount=60 "$BIN/benchserver" "$OUT/cpu-$label.pprof" >"$OUT/pprof-$label-cum.txt" 2>/dev/null
  log "CPU profile of $label: $OUT/pprof-$label-cum.txt"
}

# measure_pages CONNS SUFFIX: the five page measurements at CONNS
# connections, labelled NAME-cCONNS plus SUFFIX. PROXY_URL, COOKIE and
# the other URLs come from the front's ready file.
# shellcheck disable=SC2153
measure_pages() {
  local conns=$1 suffix=${2:-}
  measure "miss-c$conns$suffix" "$conns" "$PROXY_URL/plugIt/" "$COOKIE"
  measure "reverse-c$conns$suffix" "$conns" "$REVERSE_URL/action/"
  measure "direct-c$conns$suffix" "$conns" "$BACKEND_URL/action/"
  measure "hit-c$conns$suffix" "$conns" "$PROXY_URL/plugIt/cached/" "$COOKIE"
  measure "plain-c$conns$suffix" "$conns" "$PLAIN_URL/"
}

run_pages() {
  start_server front "${FRONT_ARGS[@]}"
  FRONT_PID=$SERVER_PID
  log "page size: $PAGE_BYTES bytes"
  for conns in 1 64 512; do
    measure_pages "$conns"
  done

  local delay
  delay=$(delay_for "$(rps miss-c64)" 64)
  log "paced runs at half the cache-miss peak: $delay ms pause per connection"
  WRK_DELAY_MS=$delay measure half-miss 64 "$PROXY_URL/plugIt/" "$COOKIE"
  WRK_DELAY_MS=$delay measure half-reverse 64 "$REVERSE_URL/action/"
  WRK_DELAY_MS=$delay measure half-direct 64 "$BACKEND_URL/action/"
  delay=$(delay_for "$(rps hit-c64)" 64)
  log "paced runs at half the cache-hit peak: $delay ms pause per connection"
  WRK_DELAY_MS=$delay measure half-hit 64 "$PROXY_URL/plugIt/cached/" "$COOKIE"
  WRK_DELAY_MS=$delay measure half-plain 64 "$PLAIN_URL/"

  profile miss "$PROXY_URL/plugIt/" "$COOKIE"
  profile hit "$PROXY_URL/plugIt/cached/" "$COOKIE"
  stop_server "$FRONT_PID"
}

run_memory() {
  local need=$((IDLE_CONNS + 1000))
  ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
  (($(ulimit -n) >= need)) || fail "open file limit $(ulimit -n) is below $need: raise it with ulimit -n"
  log "open file limit: $(ulimit -n)"

  start_server front-idle "${FRONT_ARGS[@]}"
  "$BIN/benchclient" idle -url "$PROXY_URL/plugIt/cached/" -cookie "$COOKIE" -pid "$SERVER_PID" \
    -free "$PPROF_URL/debug/free" -conns "$IDLE_CONNS" | tee -a "$OUT/results.tsv"
  stop_server "$SERVER_PID"

  start_server front-sessions "${FRONT_ARGS[@]}"
  "$BIN/benchclient" sessions -url "$PROXY_URL/plugIt/cached/" -pid "$SERVER_PID" \
    -free "$PPROF_URL/debug/free" -count "$SESSIONS" | tee -a "$OUT/results.tsv"
  stop_server "$SERVER_PID"

  start_server front-upload "${FRONT_ARGS[@]}"
  "$BIN/benchclient" upload -url "$PROXY_URL/plugIt/upload/" -cookie "$COOKIE" -csrf "$CSRF_TOKEN" \
    -pid "$SERVER_PID" -size "$UPLOAD_BYTES" | tee -a "$OUT/results.tsv"
  stop_server "$SERVER_PID"
}

run_hosted() {
  for n in 1 10 100; do
    start_server "front-hosted-$n" "${FRONT_ARGS[@]}" -hosted "$n"
    FRONT_PID=$SERVER_PID
    local first=${MISS_PATHS%% *}
    WRK_PATHS=$MISS_PATHS measure "hosted$n-miss" 64 "$PROXY_URL$first" "$COOKIE"
    first=${HIT_PATHS%% *}
    WRK_PATHS=$HIT_PATHS measure "hosted$n-hit" 64 "$PROXY_URL$first" "$COOKIE"
    stop_server "$FRONT_PID"
  done
}

# run_repeat measures the 64-connection pages again, so that the summary
# can take the median of several rounds on a shared machine.
run_repeat() {
  start_server front-repeat "${FRONT_ARGS[@]}"
  FRONT_PID=$SERVER_PID
  for round in $(seq 2 $((REPEAT + 1))); do
    measure_pages 64 "-r$round"
  done
  stop_server "$FRONT_PID"
}

# summarize prints the ratios of docs/performance.md from results.tsv:
# throughput and CPU time per request for each connection count (the
# median over rounds at 64 connections), and the p99 latency the proxy
# adds in the paced runs.
summarize() {
  awk -F'\t' '
    $1 == "RESULT" && $2 ~ /^(miss|reverse|direct|hit|plain)-c/ {
      split($2, p, "-"); key = p[1] "-" p[2]
      n[key]++; v[key, n[key]] = $3; cpu[key, n[key]] = $9 + $10
    }
    $1 == "RESULT" && $2 ~ /^half-/ { p99[$2] = $5; r[$2] = $3 }
    function median(key, values,   i, j, t, m) {
      m = n[key]
      for (i = 1; i <= m; i++) a[i] = values[key, i]
      for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
    }
    END {
      for (c = 1; c <= 512; c *= 8) {
        if (!n["miss-c" c] || !n["reverse-c" c] || !n["hit-c" c] || !n["plain-c" c]) continue
        m = median("miss-c" c, v); rv = median("reverse-c" c, v); h = median("hit-c" c, v); pl = median("plain-c" c, v)
        printf "c=%d (median of %d): miss %.0f/s, reverse proxy %.0f/s, direct %.0f/s: miss/reverse %.2f; hit %.0f/s, plain %.0f/s: hit/plain %.2f\n", \
          c, n["miss-c" c], m, rv, median("direct-c" c, v), m / rv, h, pl, h / pl
        m = median("miss-c" c, cpu); rv = median("reverse-c" c, cpu); h = median("hit-c" c, cpu); pl = median("plain-c" c, cpu)
        printf "c=%d CPU us per request, front + backend: miss %.0f, reverse proxy %.0f, direct %.0f: reverse/miss %.2f; hit %.0f, plain %.0f: plain/hit %.2f\n", \
          c, m, rv, median("direct-c" c, cpu), rv / m, h, pl, pl / h
      }
      if ("half-miss" in p99 && "half-direct" in p99)
        printf "half of cache-miss peak (%.0f/s): p99 miss %.2f ms, reverse %.2f ms, direct %.2f ms: added by the proxy %.2f ms\n", \
          r["half-miss"], p99["half-miss"], p99["half-reverse"], p99["half-direct"], p99["half-miss"] - p99["half-direct"]
      if ("half-hit" in p99 && "half-plain" in p99)
        printf "half of cache-hit peak (%.0f/s): p99 hit %.2f ms, plain %.2f ms: added by the proxy %.2f ms\n", \
          r["half-hit"], p99["half-hit"], p99["half-plain"], p99["half-hit"] - p99["half-plain"]
    }' "$OUT/results.tsv"
}

machine() {
  echo "nproc: $(nproc)"
  grep -m1 'model name' /proc/cpuinfo
  free -g
  uname -sr
  go version
  { wrk -v 2>&1 || true; } | head -1
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
}

main() {
  command -v wrk >/dev/null || fail "wrk is not installed (Debian: apt-get install wrk)"
  mkdir -p "$BIN"
  : >"$OUT/results.tsv"
  : >"$OUT/commands.txt"
  log "results in $OUT"
  machine | tee "$OUT/machine.txt" >&2

  (cd "$ROOT" && go build -o "$BIN/benchserver" ./bench/cmd/benchserver &&
    go build -o "$BIN/benchclient" ./bench/cmd/benchclient)

  CLK_TCK=$(getconf CLK_TCK)
  start_server backend backend
  BACKEND_PID=$SERVER_PID
  FRONT_ARGS=(front -backend "$BACKEND_URL")
  local part
  for part in $PARTS; do
    case $part in
    pages | memory | hosted | repeat) "run_$part" ;;
    *) fail "unknown part $part: use pages, memory, hosted or repeat" ;;
    esac
  done

  echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt" >&2
  summarize | tee "$OUT/summary.txt"
  log "done; results in $OUT"
}

main
