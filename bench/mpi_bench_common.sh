# bench/mpi_bench_common.sh -- sourced by the MPI benchmark scripts (issue 10): Open MPI as root, a
# scratch directory removed on exit, the load average, and timing of one command.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
load() { cut -d' ' -f1 /proc/loadavg; }
# "WALL (CPU user+sys)" seconds of a command (the CPU of mpirun's ranks included), its stdout in $tmp/$1.out
timed() {
  local name=$1; shift
  /usr/bin/time -o "$tmp/$name.time" -f "%e %U %S" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" || true
  read -r wall user sys <"$tmp/$name.time"
  echo "$wall ($(echo "$user + $sys" | bc) CPU)"
}
wall() { cut -d' ' -f1 <<<"$1"; }
