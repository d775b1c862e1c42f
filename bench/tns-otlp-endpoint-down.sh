#!/usr/bin/env bash
# Does an OTLP endpoint that is down slow TNS's requests? Measures app's GET / (which calls db) with wrk:
#   1. no OTLP at all;
#   2. one OTLP/HTTP endpoint that is up (a sink on 127.0.0.1 answering 200);
#   3. the same plus an additional endpoint that accepts connections and never answers (the worst kind of
#      down: every export waits for its timeout);
#   4. the same with an additional endpoint that refuses connections (F5 while the lab is down).
#   2, 3 and 4 should match; 1 shows what exporting itself costs.
# Needs: dotnet, wrk, python3 (for the hanging endpoint). Talks to 127.0.0.1 only. Usage: bench/tns-otlp-endpoint-down.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"

dotnet build LgtmLab.TnsSample -c Release -v quiet -nologo >/dev/null
dll=LgtmLab.TnsSample/bin/Release/net10.0/LgtmLab.TnsSample.dll
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

hang_port=$(free_port)
python3 - "$hang_port" <<'PY' &
import socket, sys, threading
server = socket.socket(); server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", int(sys.argv[1]))); server.listen(64)
held = []
while True:
    conn, _ = server.accept(); held.append(conn)  # accept, read nothing back, never answer
PY
pids+=($!)

sink_port=$(free_port)
python3 - "$sink_port" <<'PY' &
import http.server, sys
class Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *args): pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
PY
pids+=($!)

wait_health() { for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$1/health" >/dev/null && return 0; sleep 0.2; done; echo "no /health on $1" >&2; return 1; }

measure() {
  local label="$1"; shift
  local db_port app_port
  db_port=$(free_port); app_port=$(free_port)
  env "$@" Tns__Db__FaultWindow=never dotnet "$dll" db -server.http-listen-address=127.0.0.1 -server.http-listen-port="$db_port" -log.level=info >/dev/null &
  local db_pid=$!; pids+=("$db_pid")
  env "$@" dotnet "$dll" app -server.http-listen-address=127.0.0.1 -server.http-listen-port="$app_port" -log.level=info "http://127.0.0.1:$db_port" >/dev/null &
  local app_pid=$!; pids+=("$app_pid")
  wait_health "$db_port"; wait_health "$app_port"
  wrk -t1 -c4 -d3s "http://127.0.0.1:$app_port/" >/dev/null   # warm-up (JIT)
  echo "== $label"
  wrk -t1 -c4 -d"${duration}s" --latency "http://127.0.0.1:$app_port/" | grep -E "Latency|50%|90%|99%|Requests/sec"
  kill "$app_pid" "$db_pid"; wait "$app_pid" "$db_pid" 2>/dev/null || true
}

fast=(OTEL_BSP_SCHEDULE_DELAY=200 OTEL_BLRP_SCHEDULE_DELAY=200 OTEL_METRIC_EXPORT_INTERVAL=1000)
primary=(OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$sink_port" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf)
measure "1. no OTLP" OTEL_SDK_DISABLED=false
measure "2. primary endpoint up" "${primary[@]}" "${fast[@]}"
measure "3. primary up + additional endpoint hanging" "${primary[@]}" "${fast[@]}" \
  LGTMLAB_OTLP_ADDITIONAL_ENDPOINTS="http://127.0.0.1:$hang_port"
measure "4. primary up + additional endpoint refusing (the lab is down)" "${primary[@]}" "${fast[@]}" \
  LGTMLAB_OTLP_ADDITIONAL_ENDPOINTS="http://127.0.0.1:$(free_port)"
