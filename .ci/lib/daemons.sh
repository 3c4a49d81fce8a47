# Sourced by the set-up steps that start daemons.
#   daemon_pid PIDFILE NAME  prints the pid in PIDFILE if that process is NAME; fails otherwise. A pid
#                            file that outlived its process (a restored machine) can name an unrelated one.
daemon_pid() {
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] && echo "$pid"
}
