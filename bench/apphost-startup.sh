#!/usr/bin/env bash
# Seconds from `dotnet run --project LgtmLab.AppHost` (already built) to the three TNS resources healthy.
#
#   bench/apphost-startup.sh [runs]     (default 3)
#
# Starts the AppHost headless with the same environment as its "http" launch profile (the dashboard on
# http://127.0.0.1:18888, OTLP on 18889/18890, no developer certificate), then polls /health of tns-db, tns-app and
# tns-loadgen on their ports (8000, 8001, 8002) every 0.2 s: the check Aspire itself runs before WaitFor lets the
# next role start. Stops the AppHost with SIGTERM (DCP then stops the projects) and waits until every port is free
# before the next run. Table: bench/results/; AppHost logs in a temp directory.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-3}
ports=(18888 18889 18890 18891 8000 8001 8002)

export ASPNETCORE_URLS=http://127.0.0.1:18888
export ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:18889
export ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL=http://127.0.0.1:18890
export ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://127.0.0.1:18891
export ASPIRE_ALLOW_UNSECURED_TRANSPORT=true
export ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true DOTNET_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true
export DOTNET_ENVIRONMENT=Development ASPNETCORE_ENVIRONMENT=Development
export DOTNET_CLI_TELEMETRY_OPTOUT=1 ASPIRE_VERSION_CHECK_DISABLED=true ASPIRE_DASHBOARD_TELEMETRY_OPTOUT=true

apphost_exe=$PWD/LgtmLab.AppHost/bin/Debug/net10.0/LgtmLab.AppHost
[ -x "$apphost_exe" ] || { echo "build first: dotnet build LgtmLab.AppHost" >&2; exit 1; }

ports_in_use() { ss -Hltn | awk '{print $4}' | grep -E ":($(IFS='|'; echo "${ports[*]}"))$" || true; }

apphost_pid() { pgrep -f "^$apphost_exe" | head -1 || true; }

runner=""
cleanup() {
  local pid; pid=$(apphost_pid)
  [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
  [ -n "$runner" ] && wait "$runner" 2>/dev/null || true
}
trap cleanup EXIT

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

mkdir -p bench/results
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=bench/results/apphost-startup-$stamp.txt
logs=$(mktemp -d "${TMPDIR:-/tmp}/lgtmlab-apphost-startup-$stamp-XXXX")
{
  echo "# apphost-startup $stamp  host: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  printf '%-4s %10s %8s %8s %12s %12s\n' run dashboard tns-db tns-app tns-loadgen all-healthy
} | tee "$out"

for run in $(seq 1 "$runs"); do
  for _ in $(seq 1 120); do [ -z "$(ports_in_use)" ] && break; sleep 0.5; done
  if [ -n "$(ports_in_use)" ]; then
    echo "ports still in use (another AppHost running?): $(ports_in_use | tr '\n' ' ')" >&2; exit 1
  fi

  start=$(now)
  dotnet run --project LgtmLab.AppHost --no-build >"$logs/r$run.log" 2>&1 &
  runner=$!
  declare -A at=()
  while [ ${#at[@]} -lt 4 ]; do
    kill -0 "$runner" 2>/dev/null || { echo "the AppHost exited; see $logs/r$run.log" >&2; exit 1; }
    [ -z "${at[dashboard]:-}" ] && curl -fs -m 1 -o /dev/null http://127.0.0.1:18888/ && at[dashboard]=$(since "$start")
    for role in db:8000 app:8001 loadgen:8002; do
      name=${role%%:*}; port=${role##*:}
      [ -z "${at[$name]:-}" ] && curl -fs -m 1 -o /dev/null "http://127.0.0.1:$port/health" && at[$name]=$(since "$start")
    done
    if awk -v s="$start" -v n="$(now)" 'BEGIN { exit !(n - s > 300) }'; then
      echo "not healthy after 300 s; see $logs/r$run.log" >&2; exit 1
    fi
    sleep 0.2
  done
  all=$(printf '%s\n' "${at[db]}" "${at[app]}" "${at[loadgen]}" | sort -g | tail -1)
  printf '%-4s %10s %8s %8s %12s %12s\n' "$run" "${at[dashboard]}" "${at[db]}" "${at[app]}" "${at[loadgen]}" "$all" | tee -a "$out"
  unset at

  kill -TERM "$(apphost_pid)"
  wait "$runner" 2>/dev/null || true
  runner=""
done

awk '!/^#/ && $1 ~ /^[0-9]+$/ { s += $6; n++ } END { if (n) printf "# mean seconds to all three TNS resources healthy: %.1f over %d runs (target < 20)\n", s / n, n }' "$out" | tee -a "$out"
