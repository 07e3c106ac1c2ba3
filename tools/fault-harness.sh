#!/usr/bin/env bash
# Fault injection over the file writes, renames, syncs and removals of a tiny run (see
# Sources/DiskIO/FaultInjection.swift): for each point, a run with a previous site in --out is made
# to fail there (an error, then a kill -9); the harness checks that the previous site is intact
# (byte for byte) unless the run finished anyway, and that the next, undisturbed run finishes with
# the results of an undisturbed run and reuses every step the faulted run had finished.
#
# Usage: tools/fault-harness.sh BLOODSTUDY DATA [MODES] [KINDS] [-- REPORT-OPTIONS...]
#   MODES: "error kill" (default); KINDS: "write rename sync remove" (default).
#   REPORT-OPTIONS default to "--profile smoke": every step of the smoke profile.
# Environment:
#   FAULT_SAMPLE=N    try N points (each with every mode), spread evenly over the run's points in
#                     the order they happen; default: every point.
#   FAULT_SECONDS=S   start no trial after S seconds (the figures then say how many were tried).
#   FAULT_PHASES="A B" try only the points of these phases (steps, "site", "start").
#   FAULT_WORK=DIR    use the previous site, the undisturbed run and its points already made in DIR
#                     by another harness (the trials go to a folder of their own there), e.g. to
#                     try other phases side by side.
#   FAULT_WARM=0      start every trial on a cold cache. By default a trial whose point lies in
#                     step X starts with the undisturbed run's cache entries of the steps before X
#                     (what a cold run would have written there, byte for byte), so that it does
#                     not recompute them; the point is then aimed at by its number among the
#                     operations left, and the harness checks, from the trial's own log, that the
#                     operation faulted is the planned one (same kind, same file).
# Example: FAULT_SAMPLE=40 tools/fault-harness.sh .build/release/bloodstudy /tmp/tiny3
# Prints the points tried, the faults survived and anything lost; exits 1 when anything was lost.
set -uo pipefail
positional=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do positional+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
options=("$@")
bin="$(cd "$(dirname "${positional[0]}")" && pwd)/$(basename "${positional[0]}")"; data="${positional[1]}"
modes="${positional[2]:-error kill}"; kinds="${positional[3]:-write rename sync remove}"
[ ${#options[@]} -eq 0 ] && options=(--profile smoke)
sample="${FAULT_SAMPLE:-0}"; seconds="${FAULT_SECONDS:-0}"; warm="${FAULT_WARM:-1}"; phases_wanted="${FAULT_PHASES:-}"
work="${FAULT_WORK:-$(mktemp -d /tmp/bloodstudy-faults-XXXXXX)}"
weights="$work/no-weights"
logs="$work"   # where run() puts its output; a folder of this harness' own for the trials

run() { # run LABEL CACHE OUT [SEED] -> exit status; output in $logs/LABEL.out
  local label="$1" cache="$2" out="$3" seed="${4:-42}"
  "$bin" report --data "$data" --cache "$cache" --out "$out" --weights "$weights" --seed "$seed" \
    "${options[@]}" >"$logs/$label.out" 2>&1
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
finished_steps() { grep -E ': (done in |reused from cache)' "$1" | sed -E 's/^\[[0-9]+\/[0-9]+\] (.*): (done in|reused from cache).*/\1/' | sort; }
reused_steps() { grep -E ': reused from cache' "$1" | sed -E 's/^\[[0-9]+\/[0-9]+\] (.*): reused from cache.*/\1/' | sort; }
# A logged path without what differs between runs: the run's folders and random temporary names.
normalised() { sed -E "s#$work/(trials-[0-9]+/trial/)?\.?(base-)?#RUN/#; s/[0-9A-F]{8}(-[0-9A-F]{4}){0,4}([0-9A-F]{12})?/X/g"; }

echo "fault harness: $bin report ${options[*]} on $data (work folder $work)"
if [ -n "${FAULT_WORK:-}" ]; then
  [ -f "$work/base.results" ] || { echo "no finished undisturbed run in $work"; exit 2; }
else
# A previous site (another seed) for --out; then the undisturbed run over a copy of it, counting
# the points (replacing a site has points that writing a first one has not).
run previous "$work/previous-cache" "$work/previous-site" 7 || { echo "the previous-site run failed"; tail -5 "$work/previous.out"; exit 2; }
cp -a "$work/previous-site" "$work/base-site"
base_start=$(date +%s)
if ! BLOODSTUDY_FAULT_LOG="$work/points.log" run base "$work/base-cache" "$work/base-site"; then
  echo "the undisturbed run failed:"; tail -5 "$work/base.out"; exit 2
fi
echo "undisturbed run: $(( $(date +%s) - base_start )) s, $(grep -c 'done in' "$work/base.out") steps"
results "$work/base-site" >"$work/base.results"
fi

# The points, one a line: KIND N PHASE SKIPPED PATH. PHASE is the step whose cache entry (or resume
# folder) the operation touches, "site" after the last step, else the step before it; SKIPPED is
# how many operations of KIND happen before the phase's first one (a warm trial does not do them).
awk -v cache="$work/base-cache" '
  { kind[NR] = $1; n[NR] = $2; path[NR] = $3; step = ""
    if (index($3, cache "/steps/") == 1 || index($3, cache "/resume/") == 1) {
      rest = substr($3, length(cache) + 2); split(rest, part, "/"); step = part[2]; last = NR
    }
    own[NR] = step }
  END {
    phase = "start"
    for (i = 1; i <= NR; i++) {
      if (own[i] != "") phase = own[i]; else if (i > last) phase = "site"
      if (!(phase in first)) { first[phase] = i; order[++phases] = phase; for (k in seen) before[phase, k] = seen[k] }
      seen[kind[i]]++
      print kind[i], n[i], phase, before[phase, kind[i]] + 0, path[i]
    }
    for (p = 1; p <= phases; p++) print order[p] > "'"$work/phases"'"
  }' "$work/points.log" | awk -v kinds=" $kinds " -v phases=" $phases_wanted " \
    'index(kinds, " " $1 " ") && (phases == "  " || index(phases, " " $3 " "))' >"$work/points-$$"
total=$(wc -l <"$work/points-$$")
for kind in $kinds; do echo "$kind: $(grep -c "^$kind " "$work/points-$$") points${phases_wanted:+ in $phases_wanted}"; done
echo "phases: $(tr '\n' ' ' <"$work/phases")"
if [ "$sample" -gt 0 ] && [ "$sample" -lt "$total" ]; then
  # Evenly spread, then ordered so that stopping early still leaves them spread.
  awk -v n="$sample" -v total="$total" 'BEGIN { for (i = 0; i < n; i++) { line = int((i + 0.5) * total / n) + 1
      key = (i * 0.6180339887) - int(i * 0.6180339887); print key, line } }' | sort -n | awk '{print $2}' >"$work/chosen-$$"
  awk 'NR == FNR { want[$1] = 1; next } FNR in want { print FNR, $0 }' "$work/chosen-$$" "$work/points-$$" \
    | awk 'NR == FNR { line[$1] = $0; next } { print line[$1] }' - "$work/chosen-$$" | cut -d' ' -f2- >"$work/trials-$$.list"
  echo "sampled $sample of $total points"
else
  cp "$work/points-$$" "$work/trials-$$.list"
fi
logs="$work/trials-$$"; mkdir -p "$logs"

start=$(date +%s)
tried=0; survived=0; lost=0; unaimed=0; failed_runs=0; swapped=0; points_tried=0
declare -A tried_kind
while read -r kind n phase skipped path; do
  if [ "$seconds" -gt 0 ] && [ $(( $(date +%s) - start )) -ge "$seconds" ]; then
    echo "(stopped after $seconds s)"; break
  fi
  points_tried=$((points_tried + 1)); tried_kind[$kind]=$(( ${tried_kind[$kind]:-0} + 1 ))
  target=$(echo "$path" | normalised)
  for mode in $modes; do
    trial="$logs/trial"; rm -rf "$trial"; mkdir -p "$trial/cache/steps"
    cp -a "$work/previous-site" "$trial/site"
    index=$n
    if [ "$warm" = 1 ] && [ "$phase" != start ]; then
      index=$((n - skipped))
      while read -r earlier; do
        [ "$earlier" = "$phase" ] && break
        [ -d "$work/base-cache/steps/$earlier" ] && cp -a "$work/base-cache/steps/$earlier" "$trial/cache/steps/"
      done <"$work/phases"
    fi
    plan="$kind:$index"; [ "$mode" = kill ] && plan="kill-$kind:$index"
    label="$kind:$n ($phase, $mode)"
    { BLOODSTUDY_FAULT="$plan" BLOODSTUDY_FAULT_LOG="$trial/points.log" run faulted "$trial/cache" "$trial/site"; } 2>/dev/null; status=$?   # no "Killed" lines
    tried=$((tried + 1)); problem=""
    hit=$(awk -v k="$kind" -v i="$index" '$1 == k && $2 == i { print $3 }' "$trial/points.log" | normalised)
    if [ "$hit" != "$target" ]; then
      unaimed=$((unaimed + 1))
      echo "  NOT AIMED at $label: the trial's $plan was '${hit:-none}', not '$target'"
      continue
    fi
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
      if [ "$mode" = error ] && grep -qE 'NSCocoaErrorDomain|Error Domain=' "$logs/faulted.out"; then
        problem="${problem:+$problem; }Foundation error dump"
      fi
    elif ! diff <(results "$trial/site") "$work/base.results" >/dev/null; then
      problem="the faulted run finished with other results"
    fi
    finished_steps "$logs/faulted.out" >"$logs/finished"
    if ! run recovery "$trial/cache" "$trial/site"; then
      problem="${problem:+$problem; }next run failed: $(grep '^error' "$logs/recovery.out" | head -1)"
    else
      diff <(results "$trial/site") "$work/base.results" >/dev/null || problem="${problem:+$problem; }next run's results differ"
      reused_steps "$logs/recovery.out" >"$logs/reused"
      missing=$(comm -23 "$logs/finished" "$logs/reused" | tr '\n' ' ')
      [ -n "$missing" ] && problem="${problem:+$problem; }finished steps recomputed: $missing"
    fi
    if [ -n "$problem" ]; then
      lost=$((lost + 1))
      echo "  LOST at $label (exit $status): $problem"
      grep -m1 '^error' "$logs/faulted.out" | sed 's/^/    faulted: /'
    else
      survived=$((survived + 1))
      case $status in 0) how="(the run finished)";; 137) how="(killed)";; *) how=$(grep -m1 '^error' "$logs/faulted.out" | cut -c1-160);; esac
      echo "  ok $label: $how"
    fi
  done
done <"$work/trials-$$.list"
by_kind=""; for kind in $kinds; do by_kind="$by_kind ${tried_kind[$kind]:-0} $kind"; done
echo "points tried: $points_tried of $total ($by_kind), each with: $modes; runs: $tried (stopped by the fault: $failed_runs, of which $swapped after the new site was in place); faults survived: $survived; lost: $lost; not aimed: $unaimed; $(( $(date +%s) - start )) s"
if [ $lost -eq 0 ] && [ $unaimed -eq 0 ]; then
  if [ -n "${FAULT_WORK:-}" ]; then rm -rf "$logs" "$work/points-$$" "$work/chosen-$$" "$work/trials-$$.list"; else rm -rf "$work"; fi
fi
[ $lost -eq 0 ] && [ $unaimed -eq 0 ]
