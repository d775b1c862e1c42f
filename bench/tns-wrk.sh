#!/usr/bin/env bash
# Throughput and latency of the TNS app's GET / end to end (app -> db), with telemetry on and off.
#
#   bench/tns-wrk.sh [windows]        (default 6 measured windows per mode)
#
# Two stacks run side by side, each a db and an app in Release on free loopback ports, at -log.level=info (debug
# logs a line per request, which measures the console rather than telemetry), db's fault window closed:
#   telemetry on : the OpenTelemetry SDK with traces, metrics and logs exported over OTLP/HTTP to a do-nothing
#                  sink (bench/otlp-sink.py), as under the AppHost where they go to the Aspire dashboard.
#   telemetry off: OTEL_SDK_DISABLED=true, which the OpenTelemetry .NET SDK (>= 1.15) honours: no-op providers.
# Method, and why:
#   1. Warm-up: each stack takes WRK_WARMUP (default 30 s) of load. On this 2-core machine the JIT keeps tiering
#      up (with dynamic PGO, about 10,000 methods in the app) for 25-40 s while under load; a shorter warm-up
#      measures the JIT, not telemetry. The first WRK_COLD of each warm-up (default 10 s) is reported as "cold".
#   2. Measured: windows of WRK_WINDOW (default 10 s), alternating on and off (on first in odd rounds, off first
#      in even ones). The throughput of this VM drifts by 10-20% over minutes; interleaving short windows puts
#      both modes through the same drift, where one long run per mode did not.
# Load: wrk, 2 threads, WRK_CONNECTIONS (32) connections. CPU per request counts app + db only. Table: bench/results/.
# On a shared machine, run it with a higher priority so other work disturbs it less: sudo nice -n -15 bench/tns-wrk.sh
set -euo pipefail
cd "$(dirname "$0")/.."

windows=${1:-6}
warmup=${WRK_WARMUP:-30}
cold=${WRK_COLD:-10}
window=${WRK_WINDOW:-10}
connections=${WRK_CONNECTIONS:-32}
for tool in wrk python3 dotnet curl; do
  command -v "$tool" >/dev/null || { echo "bench needs $tool on PATH (apt-get install -y $tool)" >&2; exit 1; }
done
[ "$cold" -lt "$warmup" ] || { echo "WRK_COLD ($cold) must be shorter than WRK_WARMUP ($warmup)" >&2; exit 1; }

echo "building LgtmLab.TnsSample in Release..." >&2
dotnet build LgtmLab.TnsSample -c Release -nologo -v q >/dev/null
dll=$PWD/LgtmLab.TnsSample/bin/Release/net10.0/LgtmLab.TnsSample.dll

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# CPU time (user + system, in clock ticks) the given processes have used: a figure other load on the machine
# disturbs far less than requests/s.
cpu_ticks() { local total=0 pid; for pid in "$@"; do total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done; echo "$total"; }

wait_healthy() {
  for _ in $(seq 1 150); do
    curl -fs -o /dev/null "$1/health" && return 0
    sleep 0.2
  done
  echo "no answer from $1/health after 30 s" >&2; return 1
}

sink_port=$(free_port)
python3 bench/otlp-sink.py "$sink_port" & pids+=($!)

declare -A url procs
start_stack() { # mode
  local mode=$1 db_port app_port env_mode=() db_pid app_pid
  db_port=$(free_port); app_port=$(free_port)
  if [ "$mode" = on ]; then
    env_mode=(OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$sink_port" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf)
  else
    env_mode=(OTEL_SDK_DISABLED=true)
  fi
  env "${env_mode[@]}" ASPNETCORE_URLS="http://127.0.0.1:$db_port" Tns__Db__FaultWindow=Never \
    dotnet "$dll" db -log.level=info >/dev/null 2>&1 & db_pid=$!
  env "${env_mode[@]}" ASPNETCORE_URLS="http://127.0.0.1:$app_port" \
    dotnet "$dll" app -log.level=info "http://127.0.0.1:$db_port" >/dev/null 2>&1 & app_pid=$!
  pids+=("$db_pid" "$app_pid")
  wait_healthy "http://127.0.0.1:$db_port"; wait_healthy "http://127.0.0.1:$app_port"
  url[$mode]="http://127.0.0.1:$app_port/"
  procs[$mode]="$app_pid $db_pid"
}

mkdir -p bench/results
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=bench/results/tns-wrk-$stamp.txt
raw=$(mktemp -d "${TMPDIR:-/tmp}/lgtmlab-tns-wrk-$stamp-XXXX")

measure() { # mode, seconds, label; prints: requests/s p50 p99 non2xx cpu-ms/request
  local mode=$1 seconds=$2 label=$3 result cpu_before cpu_after
  # shellcheck disable=SC2086 # procs holds two pids
  cpu_before=$(cpu_ticks ${procs[$mode]})
  result=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "${url[$mode]}")
  # shellcheck disable=SC2086
  cpu_after=$(cpu_ticks ${procs[$mode]})
  echo "$result" > "$raw/$label-$mode.wrk.txt"
  local requests non2xx
  requests=$(awk '/requests in/ {print $1}' <<<"$result")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$result")
  printf '%s %s %s %s %s\n' \
    "$(awk '/^Requests\/sec/ {print $2}' <<<"$result")" \
    "$(awk '$1=="50%" {print $2}' <<<"$result")" \
    "$(awk '$1=="99%" {print $2}' <<<"$result")" \
    "${non2xx:-0}" \
    "$(awk -v t=$((cpu_after - cpu_before)) -v hz="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN { printf "%.3f", 1000 * t / hz / n }')"
}

row() { printf '%-8s %-10s %12s %10s %10s %8s %18s\n' "$@" | tee -a "$out"; }

{
  echo "# tns-wrk $stamp  host: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), niceness $(nice)"
  echo "# wrk -t2 -c$connections --latency  GET /  (app -> db), Release; warm-up ${warmup}s (first ${cold}s reported as cold), windows of ${window}s alternating"
} | tee "$out"
row window telemetry "requests/s" p50 p99 non2xx "cpu-ms/req(app+db)"

for mode in on off; do
  start_stack "$mode"
  # shellcheck disable=SC2046 # measure's five fields become row's columns
  row cold "$mode" $(measure "$mode" "$cold" cold)
  wrk -t2 -c"$connections" -d"$((warmup - cold))s" "${url[$mode]}" >/dev/null
done

for i in $(seq 1 "$windows"); do
  if [ $((i % 2)) = 1 ]; then order=(on off); else order=(off on); fi
  for mode in "${order[@]}"; do
    # shellcheck disable=SC2046
    row "$i" "$mode" $(measure "$mode" "$window" "w$i")
  done
done

awk '$1 ~ /^[0-9]+$/ { rps[$2] += $3; cpu[$2] += $7; n[$2]++ } $1 == "cold" { cold[$2] = $3 }
  END { if (n["on"] && n["off"]) {
    on = rps["on"] / n["on"]; off = rps["off"] / n["off"]; con = cpu["on"] / n["on"]; coff = cpu["off"] / n["off"]
    printf "# warm, mean requests/s: on %.0f, off %.0f; telemetry costs %.1f%% of throughput (target <= 15%%)\n", on, off, 100*(1-on/off)
    printf "# warm, mean CPU ms per request (app+db): on %.3f, off %.3f; throughput on a CPU-bound host would drop %.1f%%\n", con, coff, 100*(1-coff/con)
    printf "# cold (first seconds after start, JIT still tiering up): on %.0f, off %.0f requests/s (%.1f%% lower)\n", cold["on"], cold["off"], 100*(1-cold["on"]/cold["off"]) } }' "$out" | tee -a "$out"
echo "results: $out (raw wrk output: $raw)" >&2
