#!/usr/bin/env bash
# Stop exactly the daemons tests/cluster/start-slurm.sh started (their PIDs are in
# $SLURM_TEST_DIR/pids), in reverse order, and remove the configuration links it made.
set -uo pipefail

D="${SLURM_TEST_DIR:-/tmp/microstore-slurm}"
[ -f "$D/pids" ] || { echo "stop-slurm: nothing started from $D"; exit 0; }
tac "$D/pids" | while read -r name pid; do
  [ -n "${pid:-}" ] || continue
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    echo "stop-slurm: stopped $name ($pid)"
  fi
done
if [ -f "$D/links" ]; then
  for l in $(cat "$D/links"); do [ -L "$l" ] && rm -f "$l"; done
  rm -f "$D/links"
fi
: > "$D/pids"
