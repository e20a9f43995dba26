#!/usr/bin/env bash
# A real single-node SLURM cluster with accounting, for tests/cluster/test_slurm.py.
#
# Writes slurm.conf and slurmdbd.conf for localhost with 2 CPUs under $SLURM_TEST_DIR (default
# /tmp/microstore-slurm), then starts munged, mariadbd, slurmdbd, slurmctld and slurmd in that
# order, each waited for, and waits until `sinfo` shows the node idle. The PID of every daemon
# it started is written to $SLURM_TEST_DIR/pids, so that stop-slurm.sh ends exactly those.
# Needs root and Debian's slurm-wlm, slurmdbd, munge and mariadb-server (see .ci/run).
# Facts that matter (see README, "Clusters"): munged must use its default socket; slurm.conf must
# be at /etc/slurm/slurm.conf because the jobstep plugin clears SLURM_CONF; MariaDB's files must
# be owned by the mysql user.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"   # the daemons live there; some root shells lack it

D="${SLURM_TEST_DIR:-/tmp/microstore-slurm}"
CLUSTER=microstore
HOST="$(hostname -s)"
CPUS="${SLURM_TEST_CPUS:-2}"

die() { echo "start-slurm: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (slurmd and munged run as root here)"
for c in munged mungekey mariadbd mariadb-install-db slurmdbd slurmctld slurmd sacctmgr sinfo scontrol; do
  command -v "$c" >/dev/null || die "'$c' is missing: apt-get install slurm-wlm slurmdbd munge mariadb-server"
done
if [ -s "$D/pids" ]; then die "a cluster started from $D seems to run already (run stop-slurm.sh first)"; fi
if [ -e /etc/slurm/slurm.conf ] && [ ! -L /etc/slurm/slurm.conf ]; then
  die "/etc/slurm/slurm.conf exists and is not ours; not touching a real cluster's configuration"
fi

mkdir -p "$D"/{spool/ctld,spool/d,log,db,run}
: > "$D/pids"
started() { echo "$1 $2" >> "$D/pids"; }   # name pid

wait_for() {  # seconds description command...
  local t="$1" what="$2"; shift 2
  for _ in $(seq 1 $((t * 4))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.25; done
  die "$what did not come up within ${t}s (logs in $D/log)"
}

# --- munge: default socket, a fresh key
mkdir -p /run/munge /etc/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge 2>/dev/null || true
[ -s /etc/munge/munge.key ] || mungekey --create --keyfile /etc/munge/munge.key
chown munge:munge /etc/munge/munge.key 2>/dev/null || true
chmod 400 /etc/munge/munge.key
if ! munge -n </dev/null >/dev/null 2>&1; then
  runuser -u munge -- munged --pid-file=/run/munge/munged.pid 2>>"$D/log/munged.log" \
    || munged --force --pid-file=/run/munge/munged.pid 2>>"$D/log/munged.log"
  wait_for 10 munged test -s /run/munge/munged.pid
  started munged "$(cat /run/munge/munged.pid)"
fi
wait_for 10 munged sh -c 'munge -n </dev/null | unmunge'

# --- MariaDB for accounting; its socket, pid and log in a directory mysql owns
mkdir -p "$D/db/data" /run/mysqld
chown -R mysql:mysql "$D/db" /run/mysqld
if [ ! -d "$D/db/data/mysql" ]; then
  mariadb-install-db --user=mysql --datadir="$D/db/data" --auth-root-authentication-method=socket \
    >"$D/log/mariadb-install.log" 2>&1 || die "mariadb-install-db failed (see $D/log/mariadb-install.log)"
fi
mariadbd --user=mysql --datadir="$D/db/data" --socket=/run/mysqld/mysqld.sock --pid-file="$D/db/mariadbd.pid" \
  --log-error="$D/db/mariadbd.err" --skip-networking=0 --bind-address=127.0.0.1 --port=3306 2>>"$D/log/mariadbd.log" &
started mariadbd $!
wait_for 30 mariadbd mariadb-admin --socket=/run/mysqld/mysqld.sock ping

# --- configuration files (slurm.conf at its default path, as a symlink stop-slurm.sh removes)
MEM=$(awk '/MemAvailable/ {print int($2 / 1024 / 2)}' /proc/meminfo)
cat > "$D/slurm.conf" <<EOF
ClusterName=$CLUSTER
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$D/spool/ctld
SlurmdSpoolDir=$D/spool/d
SlurmctldPidFile=$D/run/slurmctld.pid
SlurmdPidFile=$D/run/slurmd.pid
SlurmctldLogFile=$D/log/slurmctld.log
SlurmdLogFile=$D/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
MpiDefault=none
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=localhost
AccountingStoreFlags=job_comment
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
InactiveLimit=0
KillWait=5
MinJobAge=300
NodeName=$HOST CPUs=$CPUS RealMemory=$MEM State=UNKNOWN
PartitionName=standard Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
cat > "$D/slurmdbd.conf" <<EOF
AuthType=auth/munge
DbdHost=localhost
SlurmUser=root
PidFile=$D/run/slurmdbd.pid
LogFile=$D/log/slurmdbd.log
StorageType=accounting_storage/mysql
StorageHost=localhost
StorageUser=root
StorageLoc=slurm_acct_db
EOF
chmod 600 "$D/slurmdbd.conf"
mkdir -p /etc/slurm
ln -sfn "$D/slurm.conf" /etc/slurm/slurm.conf
ln -sfn "$D/slurmdbd.conf" /etc/slurm/slurmdbd.conf
echo "/etc/slurm/slurm.conf /etc/slurm/slurmdbd.conf" > "$D/links"

# --- daemons
slurmdbd  # reads /etc/slurm/slurmdbd.conf (it has no -f option)
wait_for 30 slurmdbd test -s "$D/run/slurmdbd.pid"
started slurmdbd "$(cat "$D/run/slurmdbd.pid")"
wait_for 30 "slurmdbd (sacctmgr)" sacctmgr -n list cluster
sacctmgr -i add cluster "$CLUSTER" >/dev/null 2>&1 || true
slurmctld -f "$D/slurm.conf"
wait_for 30 slurmctld test -s "$D/run/slurmctld.pid"
started slurmctld "$(cat "$D/run/slurmctld.pid")"
wait_for 30 "slurmctld (scontrol ping)" sh -c 'scontrol ping | grep -q UP'
slurmd -f "$D/slurm.conf"
wait_for 30 slurmd test -s "$D/run/slurmd.pid"
started slurmd "$(cat "$D/run/slurmd.pid")"
scontrol update nodename="$HOST" state=resume >/dev/null 2>&1 || true
wait_for 60 "node $HOST idle" sh -c "sinfo -h -N -o '%T' | grep -qx idle"
echo "start-slurm: cluster '$CLUSTER' up: $(sinfo -h -N -o '%N %T %c CPUs')"
