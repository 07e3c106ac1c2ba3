#!/usr/bin/env bash
# Fault injection over every file write, rename, sync and removal of a tiny run (see
# Sources/Report/FaultInjection.swift): for each point, a run on a cold cache with a previous site
# in --out is made to fail there (an error, then a kill -9); the harness checks that the previous
# site is intact (byte for byte) unless the run finished anyway, and that the next, undisturbed run
# finishes with the results of an undisturbed run and reuses every step the faulted run finished.
#
# Usage: tools/fault-harness.sh BLOODSTUDY DATA [MODES] [KINDS] [-- REPORT-OPTIONS...]
#   MODES: "error kill" (default); KINDS: "write rename sync remove" (default).
#   REPORT-OPTIONS default to "--profile smoke --only split --only simple-nn" (seconds per run).
# Example: tools/fault-harness.sh .build/release/bloodstudy /tmp/tiny3
# Prints the points tried, the faults survived and anything lost; exits 1 when anything was lost.
set -uo pipefail
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; data="$2"
modes="${3:-error kill}"; kinds="${4:-write rename sync remove}"
shift $(( $# < 4 ? $# : 4 ))
[ "${1:-}" = "--" ] && shift
options=("$@")
[ ${#options[@]} -eq 0 ] && options=(--profile smoke --only split --only simple-nn)
work="$(mktemp -d /tmp/bloodstudy-faults-XXXXXX)"
weights="$work/no-weights"

run() { # run LABEL CACHE OUT [SEED] -> exit status; output in $work/LABEL.out
  local label="$1" cache="$2" out="$3" seed="${4:-42}"
  "$bin" report --data "$data" --cache "$cache" --out "$out" --weights "$weights" --seed "$seed" \
    "${options[@]}" >"$work/$label.out" 2>&1
}
# results.json without what changes from run to run (dates, timings, cache reuse).
results() {
  awk '/^  "(generated_at|wall_seconds)"/ {next}
       /^  "timings_s" : \{/ {block = 1; next}
       block { if ($0 ~ /^  \}/) block = 0; next }
       /^    "[^"]*" : \{/ { timing = ($0 ~ /seconds/) }
       timing { if ($0 ~ /^    \}/) timing = 0; next }
       /"(cached|seconds|compute_seconds)" :/ {next}
       {print}' "$1/results.json"
}
finished_steps() { grep -E ': done in ' "$1" | sed -E 's/^\[[0-9]+\/[0-9]+\] (.*): done in .*/\1/' | sort; }
reused_steps() { grep -E ': reused from cache' "$1" | sed -E 's/^\[[0-9]+\/[0-9]+\] (.*): reused from cache.*/\1/' | sort; }

echo "fault harness: $bin report ${options[*]} on $data (work folder $work)"
# A previous site (another seed) for --out; then the undisturbed run over a copy of it, counting
# the points (replacing a site has points that writing a first one has not).
run previous "$work/previous-cache" "$work/previous-site" 7 || { echo "the previous-site run failed"; exit 2; }
cp -a "$work/previous-site" "$work/base-site"
if ! BLOODSTUDY_FAULT_LOG="$work/points.log" run base "$work/base-cache" "$work/base-site"; then
  echo "the undisturbed run failed:"; tail -5 "$work/base.out"; exit 2
fi
results "$work/base-site" >"$work/base.results"
start=$(date +%s)
tried=0; survived=0; lost=0; failed_runs=0; swapped=0
for kind in $kinds; do
  count=$(grep -c "^$kind " "$work/points.log")
  echo "$kind: $count points"
  for mode in $modes; do
    for ((n = 1; n <= count; n++)); do
      trial="$work/trial"; rm -rf "$trial"; mkdir -p "$trial"
      cp -a "$work/previous-site" "$trial/site"
      plan="$kind:$n"; [ "$mode" = kill ] && plan="kill-$kind:$n"
      { BLOODSTUDY_FAULT="$plan" run faulted "$trial/cache" "$trial/site"; } 2>/dev/null; status=$?   # no "Killed" lines
      tried=$((tried + 1)); problem=""
      if [ $status -ne 0 ]; then
        failed_runs=$((failed_runs + 1))
        # The faulted run stopped: the previous site must be exactly as it was, unless the stop
        # came after the new site was swapped in whole (then it is the complete new site).
        if ! diff -r "$work/previous-site" "$trial/site" >/dev/null 2>&1; then
          if diff <(cd "$work/base-site" && find . | sort) <(cd "$trial/site" && find . | sort) >/dev/null \
             && diff <(results "$trial/site") "$work/base.results" >/dev/null; then
            swapped=$((swapped + 1))
          else
            problem="previous site damaged"
          fi
        fi
        if [ "$mode" = error ] && grep -qE 'NSCocoaErrorDomain|Error Domain=' "$work/faulted.out"; then
          problem="${problem:+$problem; }Foundation error dump"
        fi
      elif ! diff <(results "$trial/site") "$work/base.results" >/dev/null; then
        problem="the faulted run finished with other results"
      fi
      finished_steps "$work/faulted.out" >"$work/finished"
      if ! run recovery "$trial/cache" "$trial/site"; then
        problem="${problem:+$problem; }next run failed: $(grep '^error' "$work/recovery.out" | head -1)"
      else
        diff <(results "$trial/site") "$work/base.results" >/dev/null || problem="${problem:+$problem; }next run's results differ"
        reused_steps "$work/recovery.out" >"$work/reused"
        missing=$(comm -23 "$work/finished" "$work/reused" | tr '\n' ' ')
        [ -n "$missing" ] && problem="${problem:+$problem; }finished steps recomputed: $missing"
      fi
      if [ -n "$problem" ]; then
        lost=$((lost + 1))
        echo "  LOST at $plan (exit $status): $problem"
        grep -m1 '^error' "$work/faulted.out" | sed 's/^/    faulted: /'
      else
        survived=$((survived + 1))
      fi
      if [ "$mode" = error ] && [ "$n" -eq 1 ]; then
        echo "  e.g. $plan: $(grep -m1 '^error' "$work/faulted.out" || echo "(run finished: the failure was only clean-up)")"
      fi
    done
  done
done
echo "points tried: $tried (runs that stopped: $failed_runs, of which $swapped after the new site was in place); faults survived: $survived; lost: $lost; $(( $(date +%s) - start )) s"
[ $lost -eq 0 ] && rm -rf "$work"
[ $lost -eq 0 ]
