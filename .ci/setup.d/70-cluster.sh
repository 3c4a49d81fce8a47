#!/usr/bin/env bash
# A one-node Slurm cluster with munge, and Lmod, for the cluster tests of the test goal
# (allocations, srun as MPI launcher, environment modules).
#  - installs Debian's slurm-wlm, munge and lmod when missing (about 35 s);
#  - writes /etc/slurm/slurm.conf: this host as controller and only node, at 127.0.0.1, with the CPU
#    layout slurmd itself detects (`slurmd -C`: a layout that differs from it makes the node INVAL,
#    and every allocation pends), proctrack/linuxproc and task/none (no cgroups needed), root as
#    SlurmUser;
#  - starts munged, slurmctld and slurmd when they do not run, brings back a node that a saved state
#    left down, drained or not responding, cancels jobs that killed test runs left, and waits until
#    `srun -n 2` runs (a few seconds).
# Safe to run again, also while the daemons run: a changed slurm.conf restarts them, otherwise
# nothing is touched. Where this machine cannot run the daemons (not root, no systemd-free way to
# start them), it says why and leaves the cluster tests to skip themselves. A node that installed
# daemons cannot bring up fails the set-up, with the scheduler's reason and the daemons' logs.
set -euo pipefail
source "$(dirname "$0")/../lib/daemons.sh"

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
# slurmd keeps the hardware topology it found in its spool folder; one found on another machine (a
# restored disk image) would contradict this one. A slurmd started below finds this machine's.
rm -f /var/spool/slurmd/hwloc_topo_*.xml

# The node's CPU layout as slurmd detects it, without its memory (which varies from boot to boot
# and would drain the node when it shrinks); nproc where slurmd cannot tell.
layout=$(slurmd -C 2>/dev/null | head -n 1 \
  | grep -oE '(CPUs|Boards|SocketsPerBoard|CoresPerSocket|ThreadsPerCore)=[0-9]+' | paste -sd ' ' || true)
case "$layout" in
  CPUs=*) ;;
  *) layout="CPUs=$(nproc)" ;;
esac

wanted=$(cat <<CONF_END
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
NodeName=$host NodeAddr=127.0.0.1 $layout State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF_END
)
restart=no
if [ ! -f "$CONF" ] || [ "$(cat "$CONF")" != "$wanted" ]; then
  printf '%s\n' "$wanted" >"$CONF"
  restart=yes
fi

# slurmctld and slurmd keep their pids in /run/NAME.pid (slurm.conf above).
slurm_pid() {
  daemon_pid "/run/$1.pid" "$1"
}

stop_daemon() {
  local pid
  pid=$(slurm_pid "$1") || return 0
  kill "$pid"
  for _ in $(seq 1 20); do
    slurm_pid "$1" >/dev/null || return 0
    sleep 0.5
  done
  kill -9 "$pid" 2>/dev/null || true
}

start_daemon() {
  echo "starting $1 (log: $LOG_DIR/$1.log)"
  (cd / && setsid "$1" 9>&- </dev/null >/dev/null 2>&1) || skip "$1 does not start: $(tail -n 3 "$LOG_DIR/$1.log" 2>/dev/null)"
}

diagnosis() {
  echo "--- sinfo -R"; sinfo -R 2>&1 || true
  echo "--- squeue"; squeue 2>&1 || true
  echo "--- $LOG_DIR/slurmctld.log (end)"; tail -n 15 "$LOG_DIR/slurmctld.log" 2>&1 || true
  echo "--- $LOG_DIR/slurmd.log (end)"; tail -n 15 "$LOG_DIR/slurmd.log" 2>&1 || true
}

if [ "$restart" = yes ]; then
  for daemon in slurmd slurmctld; do
    if slurm_pid "$daemon" >/dev/null; then
      echo "slurm.conf changed: stopping $daemon"
      stop_daemon "$daemon"
    fi
  done
fi

slurm_pid slurmctld >/dev/null || start_daemon slurmctld
for _ in $(seq 1 30); do
  scontrol ping 2>/dev/null | grep -q 'is UP' && break
  sleep 1
done
scontrol ping | grep -q 'is UP' || skip "slurmctld does not answer: $(tail -n 3 "$LOG_DIR/slurmctld.log")"

slurm_pid slurmd >/dev/null || start_daemon slurmd

# Jobs of killed test runs (their salloc gone) can still hold the node or queue ahead of new ones.
leftovers=$(squeue -h -o '%i %j' 2>/dev/null | awk '$2 ~ /^neuron-wheel-/ { print $1 }' | paste -sd ' ' || true)
if [ -n "$leftovers" ]; then
  echo "cancelling jobs that earlier test runs left: $leftovers"
  # shellcheck disable=SC2086
  scancel $leftovers || true
fi

# A saved state can hold the node down or drained (ReturnToService=2 brings back only a node that
# registers), and a slurmd that does not answer shows as 'STATE*': resume it, restart slurmd once.
state=
restarted=no
for i in $(seq 1 60); do
  state=$(sinfo -h -N -n "$host" -o %T 2>/dev/null | head -n 1)
  case "$state" in
    idle|mixed|allocated|completing) break ;;
    inval)
      echo "node $host is INVAL: its line in slurm.conf does not match what slurmd detects" >&2
      diagnosis >&2
      exit 1 ;;
    *'*')
      if [ "$restarted" = no ] && [ "$i" -ge 10 ]; then
        echo "node $host is '$state' (slurmd does not answer): restarting slurmd"
        stop_daemon slurmd
        start_daemon slurmd
        restarted=yes
      fi ;;
    down*|drain*|fail*)
      scontrol update NodeName="$host" State=RESUME 2>/dev/null || true ;;
  esac
  sleep 1
done
case "$state" in
  idle|mixed|allocated|completing) ;;
  *)
    echo "node $host is still '$state' after 60 s: allocations would wait for it in vain" >&2
    diagnosis >&2
    exit 1 ;;
esac

ranks=$(timeout 120 srun -N1 -n2 --time=1 --job-name=neuron-wheel-ci-setup sh -c 'echo $SLURM_PROCID' | sort | paste -sd ' ' || true)
if [ "$ranks" != "0 1" ]; then
  echo "srun -n 2 printed '$ranks', not ranks 0 and 1" >&2
  diagnosis >&2
  exit 1
fi
echo "Slurm runs: node $host ($layout), srun -n 2 gives ranks $ranks"

[ -r /usr/share/lmod/lmod/init/sh ] || { echo "Lmod's /usr/share/lmod/lmod/init/sh is missing" >&2; exit 1; }
echo "Lmod $(dpkg-query -W -f '${Version}' lmod) ready: /usr/share/lmod/lmod/init/sh"
