#!/usr/bin/env bash
# A one-node Slurm cluster with munge, and Lmod, for the cluster tests of the test goal
# (allocations, srun as MPI launcher, environment modules).
#  - installs Debian's slurm-wlm, munge and lmod when missing (about 35 s);
#  - writes /etc/slurm/slurm.conf: this host as controller and only node, at 127.0.0.1, with as many
#    CPUs as the machine has (proctrack/linuxproc and task/none: no cgroups needed), root as SlurmUser;
#  - starts munged, slurmctld and slurmd when they do not answer, and waits until `srun -n 2` runs
#    (a few seconds).
# Safe to run again, also while the daemons run: a changed slurm.conf restarts them, otherwise
# nothing is touched. Where this machine cannot run the daemons (not root, no systemd-free way to
# start them), it says why and leaves the cluster tests to skip themselves.
set -euo pipefail

LOG_DIR=/var/log/slurm
CONF=/etc/slurm/slurm.conf

skip() {
  echo "skipped: $*; the Slurm tests skip themselves"
  exit 0
}

[ "$(id -u)" = 0 ] || skip "the cluster set-up needs root (it starts munged, slurmctld and slurmd)"

exec 9>/var/lock/neuron-wheel-cluster-setup.lock
flock 9

packages=(slurm-wlm munge lmod)
need=()
for pkg in "${packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 "${need[@]}" >/dev/null
fi

host=$(hostname -s)
cpus=$(nproc)
# 127.0.0.1 must reach this host's name (slurmd registers under it).
getent hosts "$host" >/dev/null || skip "the host name $host does not resolve (add it to /etc/hosts)"

# munge: the key comes with the package; munged runs as root here (--force accepts that).
[ -s /etc/munge/munge.key ] || { mungekey --create --force 2>/dev/null || dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null; }
chmod 0400 /etc/munge/munge.key
mkdir -p /run/munge /var/log/munge /var/lib/munge
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  echo "starting munged"
  (cd / && setsid munged --force 9>&- </dev/null >/dev/null 2>&1) || skip "munged does not start (see /var/log/munge/munged.log)"
  for _ in $(seq 1 20); do
    munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break
    sleep 0.5
  done
  munge -n | unmunge >/dev/null || skip "munged started but does not answer"
fi

mkdir -p /etc/slurm "$LOG_DIR" /var/spool/slurmctld /var/spool/slurmd
wanted=$(cat <<EOF
# Written by .ci/setup.d/70-cluster.sh: one node, this host at 127.0.0.1.
ClusterName=neuronwheel
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CryptoType=crypto/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
# Short waits, so that a job past its time limit ends within a minute.
KillWait=5
OverTimeLimit=0
MinJobAge=60
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=$LOG_DIR/slurmctld.log
SlurmdLogFile=$LOG_DIR/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
)
restart=no
if [ ! -f "$CONF" ] || [ "$(cat "$CONF")" != "$wanted" ]; then
  printf '%s\n' "$wanted" >"$CONF"
  restart=yes
fi

pid_running() {
  [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

if [ "$restart" = yes ]; then
  for daemon in slurmd slurmctld; do
    if pid_running "/run/$daemon.pid"; then
      echo "slurm.conf changed: stopping $daemon"
      kill "$(cat "/run/$daemon.pid")"
      for _ in $(seq 1 20); do pid_running "/run/$daemon.pid" || break; sleep 0.5; done
    fi
  done
fi

if ! pid_running /run/slurmctld.pid; then
  echo "starting slurmctld (log: $LOG_DIR/slurmctld.log)"
  (cd / && setsid slurmctld 9>&- </dev/null >/dev/null 2>&1) || skip "slurmctld does not start: $(tail -n 3 "$LOG_DIR/slurmctld.log" 2>/dev/null)"
fi
for _ in $(seq 1 30); do
  scontrol ping 2>/dev/null | grep -q 'is UP' && break
  sleep 1
done
scontrol ping | grep -q 'is UP' || skip "slurmctld does not answer: $(tail -n 3 "$LOG_DIR/slurmctld.log")"

if ! pid_running /run/slurmd.pid; then
  echo "starting slurmd (log: $LOG_DIR/slurmd.log)"
  (cd / && setsid slurmd 9>&- </dev/null >/dev/null 2>&1) || skip "slurmd does not start: $(tail -n 3 "$LOG_DIR/slurmd.log" 2>/dev/null)"
fi
state=
for _ in $(seq 1 30); do
  state=$(sinfo -h -N -n "$host" -o %T 2>/dev/null | head -n 1)
  case "$state" in
    idle|mixed|allocated|completing) break ;;
    down*|drain*) scontrol update NodeName="$host" State=RESUME 2>/dev/null || true ;;
  esac
  sleep 1
done
case "$state" in
  idle|mixed|allocated|completing) ;;
  *) skip "node $host stays '$state': $(tail -n 3 "$LOG_DIR/slurmd.log")" ;;
esac

ranks=$(timeout 120 srun -N1 -n2 --time=1 sh -c 'echo $SLURM_PROCID' | sort | tr '\n' ' ')
[ "$ranks" = "0 1 " ] || { echo "srun -n 2 printed '$ranks', not ranks 0 and 1" >&2; exit 1; }
echo "Slurm runs: node $host with $cpus CPUs, srun -n 2 gives ranks $ranks"

[ -r /usr/share/lmod/lmod/init/sh ] || { echo "Lmod's /usr/share/lmod/lmod/init/sh is missing" >&2; exit 1; }
echo "Lmod $(dpkg-query -W -f '${Version}' lmod) ready: /usr/share/lmod/lmod/init/sh"
