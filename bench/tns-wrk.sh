#!/usr/bin/env bash
# Throughput and latency of the TNS app's GET / end to end (app -> db), with telemetry on and off.
#
#   bench/tns-wrk.sh [rounds]        (default 2 rounds; each round runs "on" then "off")
#
# Both roles run in Release on free loopback ports, at -log.level=info (debug logs a line per request, which
# measures the console rather than telemetry). db's scheduled fault window is closed (Tns__Db__FaultWindow=Never).
#   telemetry on : the OpenTelemetry SDK with traces, metrics and logs exported over OTLP/HTTP to a do-nothing
#                  sink (bench/otlp-sink.py), as under the AppHost where they go to the Aspire dashboard.
#   telemetry off: OTEL_SDK_DISABLED=true, which the OpenTelemetry .NET SDK (>= 1.15) honours: no-op providers.
# Load: wrk, 2 threads, 32 connections, 5 s warm-up then 20 s measured, per run. Table: bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${1:-2}
duration=${WRK_DURATION:-20s}
connections=${WRK_CONNECTIONS:-32}
for tool in wrk python3 dotnet curl; do
  command -v "$tool" >/dev/null || { echo "bench needs $tool on PATH (apt-get install -y $tool)" >&2; exit 1; }
done

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

mkdir -p bench/results
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=bench/results/tns-wrk-$stamp.txt
raw=$(mktemp -d "${TMPDIR:-/tmp}/lgtmlab-tns-wrk-$stamp-XXXX")
{
  echo "# tns-wrk $stamp  host: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# wrk -t2 -c$connections -d$duration --latency  GET /  (app -> db), Release"
  printf '%-6s %-10s %12s %10s %10s %8s %16s\n' round telemetry "requests/s" p50 p99 non2xx "cpu-ms/req(app+db)"
} | tee "$out"

run() { # round, mode
  local round=$1 mode=$2 db_port app_port env_mode=()
  db_port=$(free_port); app_port=$(free_port)
  if [ "$mode" = on ]; then
    env_mode=(OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$sink_port" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf)
  else
    env_mode=(OTEL_SDK_DISABLED=true)
  fi
  env "${env_mode[@]}" ASPNETCORE_URLS="http://127.0.0.1:$db_port" Tns__Db__FaultWindow=Never \
    dotnet "$dll" db -log.level=info >/dev/null 2>&1 & local db_pid=$!
  env "${env_mode[@]}" ASPNETCORE_URLS="http://127.0.0.1:$app_port" \
    dotnet "$dll" app -log.level=info "http://127.0.0.1:$db_port" >/dev/null 2>&1 & local app_pid=$!
  pids+=("$db_pid" "$app_pid")
  wait_healthy "http://127.0.0.1:$db_port"; wait_healthy "http://127.0.0.1:$app_port"

  wrk -t2 -c"$connections" -d5s "http://127.0.0.1:$app_port/" >/dev/null
  local result cpu_before cpu_after
  cpu_before=$(cpu_ticks "$app_pid" "$db_pid")
  result=$(wrk -t2 -c"$connections" -d"$duration" --latency "http://127.0.0.1:$app_port/")
  cpu_after=$(cpu_ticks "$app_pid" "$db_pid")
  echo "$result" > "$raw/r$round-$mode.wrk.txt"

  local rps p50 p99 non2xx requests cpu_per_request
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$result")
  requests=$(awk '/requests in/ {print $1}' <<<"$result")
  cpu_per_request=$(awk -v t=$((cpu_after - cpu_before)) -v hz="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN { printf "%.3f", 1000 * t / hz / n }')
  p50=$(awk '$1=="50%" {print $2}' <<<"$result")
  p99=$(awk '$1=="99%" {print $2}' <<<"$result")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$result"); non2xx=${non2xx:-0}
  printf '%-6s %-10s %12s %10s %10s %8s %16s\n' "$round" "$mode" "$rps" "$p50" "$p99" "$non2xx" "$cpu_per_request" | tee -a "$out"

  kill "$app_pid" "$db_pid"; wait "$app_pid" "$db_pid" 2>/dev/null || true
}

for round in $(seq 1 "$rounds"); do
  run "$round" on
  run "$round" off
done

awk '!/^#/ && $2=="on" {on+=$3; con+=$7; n++} !/^#/ && $2=="off" {off+=$3; coff+=$7; m++}
  END { if (n && m) {
    printf "# mean requests/s: on %.0f, off %.0f; telemetry costs %.1f%% of throughput (target <= 15%%)\n", on/n, off/m, 100*(1-(on/n)/(off/m))
    printf "# mean CPU ms per request (app+db): on %.3f, off %.3f; throughput on a CPU-bound host would drop %.1f%%\n", con/n, coff/m, 100*(1-(coff/m)/(con/n)) } }' "$out" | tee -a "$out"
echo "results: $out (raw wrk output: $raw)" >&2
