#!/bin/bash
# tests/cli/bad_inputs.sh -- the hostile-input sweep of issue 7, generated from tables (parameters x bad
# values), run through the real command line. Every row must exit with its code, print nothing on
# stdout and exactly one stderr line `collapse: error: invalid PARAMETER = VALUE: valid range is ...`
# matching the row's regex.
#
#   tests/cli/bad_inputs.sh COLLAPSE          run the sweep; prints failures and "tried N, passed M"
#   tests/cli/bad_inputs.sh --list            print the generated rows (command<TAB>exit<TAB>regex)
# Run from the source root (suite and spectrum paths are relative to it).
set -u
C=${1:?usage: bad_inputs.sh COLLAPSE | --list}
OUT=$(mktemp -d "${TMPDIR:-/tmp}/collapse-bad-inputs-XXXXXX")
trap 'rm -rf "$OUT"' EXIT

rows=()
SEP=$'\x1f'
row() { rows+=("$1$SEP$2$SEP$3"); }   # command line (shell words), exit code, regex of the stderr line
q() { printf "'%s'" "$1"; }                  # quote a value for the command line

# ---- base command lines (valid, except for what a row adds) -------------------------------------------
SIM="simulate --spectrum isotropic --d 10 --w0norm2 1 --T 20 --sigma2 1"
SIMN="$SIM --n 1 --T0 20 --sigma02 1"
EVAL="eval iso-kappa --phi 0.5 --lambda 0.1"
EVALO="eval ols-exact --d 20 --T 40 --n 0 --sigma2 1"
VER="verify tiny-ols --suites-dir tests/harness/suites"
EXP="exponents --beta 2 --r 0.4 --no-measure"
CRO="crossover --T-max 1e4"
CROS="crossover --simulate --T-max 100"
PLOT="plot fig1a --out $OUT/plot --format svg"

# ---- kind 4: every integer option of every command x values that must not wrap or round -----------------
int_options=(
  "$SIM --trials 10|--T"         "$SIM --trials 10|--n"          "$SIMN --trials 10|--T0"
  "$SIM|--trials"                "$SIM --target-se 0.1|--max-trials" "$SIM --trials 10|--seed"
  "$SIM --trials 10|--threads"   "$SIM --trials 10|--max-seconds"
  "$EVAL|--digits"               "$VER|--seed"                   "$VER|--threads"
  "$EXP|--decades"               "$EXP|--digits"                 "$CRO|--per-decade"
  "$CRO|--digits"                "$PLOT|--trials"                "$PLOT|--seed"
  "$PLOT|--threads"              "$CROS|--trials"                "$CROS|--bootstrap"
  "$CROS|--threads"              "$CROS|--seed"                  "$CROS|--max-seconds"
)
int_bad=(-1 1.5 18446744073709551616 '2^64' 1e400 1e30 abc nan inf '2 0' 0x10 '')
for entry in "${int_options[@]}"; do
  base=${entry%|*}; opt=${entry#*|}
  for v in "${int_bad[@]}"; do
    # the --T and --T0 rows replace the value in the base line (they are in it already)
    line="$base"
    case "$opt" in --T|--T0) line=$(echo "$base" | sed "s/ $opt [^ ]*//");; esac
    row "$line $opt $(q "$v")" 2 "^collapse: error: invalid $opt = .*: valid range is an integer .* <= ${opt#--} <= "
  done
done

# ---- kind 1 and 6 at the CLI: real-valued options x non-numbers, infinities, out-of-domain values ---------
real_options=(
  "$SIM --trials 10|--sigma2|sigma2 >= 0"    "$SIM --trials 10|--lambda|lambda >= 0"
  "$SIM|--target-se|target-se"               "$SIMN --trials 10|--sigma02|sigma02 >= 0"
  "$EVAL|--phi|"                             "$EVAL|--lambda|"
  "$EVALO|--sigma2|"                         "$EXP|--beta|"
  "$CRO|--sigma02|"                          "$CRO|--phi0|"
)
real_bad=(nan inf -inf abc '' -1 1/0)
for entry in "${real_options[@]}"; do
  IFS='|' read -r base opt range <<< "$entry"
  for v in "${real_bad[@]}"; do
    line=$(echo "$base" | sed "s/ $opt [^ ]*//")
    row "$line $opt $(q "$v")" 2 "^collapse: error: invalid (--)?${opt#--} = "
  done
done
# spectrum parameters (named without dashes by the theory layer)
for p in d w0norm2; do
  for v in nan inf -1 abc 0.5 ''; do
    case "$p/$v" in w0norm2/0.5) continue;; esac
    row "$(echo "$SIM --trials 10" | sed "s/ --$p [^ ]*//") --$p $(q "$v")" 2 "^collapse: error: invalid (--)?$p = "
  done
done

# ---- kind 5: duplicate, valueless and unknown options, for every command ----------------------------------
dup_options=("$SIM --trials 10|--d|10" "$SIM --trials 10|--sigma2|1" "$EVAL|--phi|0.5" "$EVALO|--T|40" "$VER|--seed|3"
             "$EXP|--beta|2" "$CRO|--T-max|1e4" "$PLOT|--trials|0" "$SIM --trials 10|--format|csv" "$EVAL|--format|md")
for entry in "${dup_options[@]}"; do
  IFS='|' read -r base opt v <<< "$entry"
  row "$base $opt $v $opt $v" 2 "^collapse: error: invalid $opt = .*$v.*: valid range is one value \\(given more than once\\)"
done
valueless=("$SIM --trials 10|--seed" "$SIM --trials 10|--lambda" "$EVAL|--digits" "$VER|--threads" "$EXP|--a" "$CRO|--n"
           "$PLOT|--out" "$SIM --trials 10|--format" "$EVAL|--format" "$CRO|--format")
for entry in "${valueless[@]}"; do
  base=${entry%|*}; opt=${entry#*|}
  row "$base $opt" 2 "^collapse: error: invalid $opt = \\(no value\\): valid range is a value after $opt"
done
for base in "$SIM --trials 10" "$EVAL" "$VER" "$EXP" "$CRO" "$PLOT"; do
  for u in --bogus --trails -x --D; do
    row "$base $u 1" 2 "^collapse: error: invalid argument = .*$u.*: valid range is an option of \`collapse [a-z]+\`"
  done
done
row "frobnicate" 2 "^collapse: error: invalid command = frobnicate: valid range is one of eval, simulate"
row "" 2 "^collapse: error: invalid command = \\(missing\\): valid range is one of eval, simulate"
row "plot" 2 "^collapse: error: invalid FIGURE = \\(missing\\)"
row "eval iso-kappa extra --phi 0.5 --lambda 0.1" 2 "^collapse: error: invalid argument = extra"

# ---- formats: one set for every command; anything else is refused naming --format -------------------------
for base in "$SIM --trials 10" "$EVAL" "$VER" "$EXP" "$CRO"; do
  for f in xml PLAIN tex html ''; do
    row "$base --format $(q "$f")" 2 "^collapse: error: invalid --format = .*: valid range is one of plain, md, csv, json, latex"
  done
done

# ---- kind 10 at the CLI: the right parameter is named; irrelevant options are refused ---------------------
row "$SIM --target-se 1e-400" 2 "^collapse: error: invalid --target-se = 1e-400: valid range is 1e-12 <= target-se < 1"
row "$SIM --target-se 1e-13" 2 "^collapse: error: invalid --target-se = 1e-13"
row "simulate --spectrum isotropic --d 10 --w0norm2 1 --T 12 --sigma2 1 --target-se 0.01" 2 "^collapse: error: invalid target-se = 0.01: valid range is trials K instead of a target standard error here"
row "$SIM --trials 10 --T0 30" 2 "^collapse: error: invalid --T0 = 30: valid range is not given when n = 0"
row "$SIM --trials 10 --sigma02 1" 2 "^collapse: error: invalid --sigma02 = 1: valid range is not given when n = 0"
row "$SIM --trials 10 --n 0 --T0 30 --sigma02 1" 2 "^collapse: error: invalid --T0 = 30"
row "$SIM --trials 10 --target-se 0.1" 2 "^collapse: error: invalid --trials = 10: valid range is either --trials or --target-se"
# kind 8: a run estimated above --max-seconds is refused before it starts
row "$SIM --trials 1e12 --max-seconds 1" 2 "^collapse: error: invalid --trials = 1e12: valid range is a run of at most --max-seconds = 1 s \\(estimated"
# ... also a short run of expensive trials: the pilot starts at two trials (runs of <= 64 trials were never checked)
row "simulate --spectrum powerlaw --beta 3/2 --r 2/5 --d 600 --T 1200 --lambda 1/10 --sigma2 1 --trials 64 --max-seconds 1" 2 "^collapse: error: invalid --trials = 64: valid range is a run of at most --max-seconds = 1 s \\(estimated"
# a spectrum the working precision cannot resolve is refused naming --precision (a confident wrong mean before:
# lambda_j = j^-16 gave 0.0135 +- 0.00005 at lambda = 0 where the exact OLS risk is 0.1034)
for lam in 0,1 1e-20,1; do
  row "simulate --spectrum powerlaw --beta 16 --r 2/5 --d 30 --T 60 --sigma2 1/10 --lambda $lam --trials 40" 2 "^collapse: error: invalid precision = double: valid range is a precision that resolves every eigenvalue of the sample covariance"
done
for engine in fast reference; do
  row "simulate --spectrum powerlaw --beta 32 --r 2/5 --d 100 --T 20 --sigma2 1/10 --lambda 0 --trials 20 --engine $engine" 2 "^collapse: error: invalid precision = double: valid range is a precision that resolves every eigenvalue of the"
done
# issue 9: on the scalable paths the a priori work model refuses it before the first trial, even for 2 trials
# (a dual-path trial at d = 20000, T = 4000 is ~2e12 flop, minutes; 2e5 isotropic-spectral trials at T = 20000, days)
row "simulate --spectrum powerlaw --beta 2 --r 0.4 --d 20000 --T 4000 --lambda 0.01 --sigma2 1 --trials 2 --threads 1 --max-seconds 60" 2 "^collapse: error: invalid --trials = 2: valid range is a run of at most --max-seconds = 60 s \\(estimated .*a priori: .* on the dual-gram path"
row "simulate --spectrum isotropic --w0norm2 1 --d 40000 --T 20000 --lambda 0.01 --sigma2 1 --trials 200000 --max-seconds 60" 2 "^collapse: error: invalid --trials = 200000: valid range is a run of at most --max-seconds = 60 s \\(estimated .*a priori: .* on the isotropic-spectral path"
# a list that names an item twice is refused (review: these three were accepted and ran the item twice)
row "verify ols-exact ols-exact" 2 "^collapse: error: invalid SUITE = ols-exact: valid range is each suite named once"
row "exponents --couplings fixed,fixed --no-measure" 2 "^collapse: error: invalid --couplings = fixed,fixed: valid range is each coupling named once"
row "$CROS --lambda 0,0" 2 "^collapse: error: invalid --lambda = '0,0': valid range is a comma-separated list L1,L2,... of distinct values"
# issue 9: crossover --simulate (harness/crossover_mc.hpp); its options are refused without it
row "$CRO --trials 10" 2 "^collapse: error: invalid --trials = 10: valid range is given only with --simulate"
row "$CRO --bootstrap 500" 2 "^collapse: error: invalid --bootstrap = 500: valid range is given only with --simulate"
row "$CROS --digits 30" 2 "^collapse: error: invalid --digits = 30: valid range is not given with --simulate"
row "$CROS --lambda 0.1,0.01" 2 "^collapse: error: invalid lambda = \\(no 0\\): valid range is a grid with lambda = 0"
row "$CROS --lambda 0,-1" 2 "^collapse: error: invalid --lambda = -1|^collapse: error: invalid lambda = -1"
row "$CROS --window-decades 2" 2 "^collapse: error: invalid window-decades = 2: valid range is 0 < window-decades <= [0-9.]+ \\(half the grid"
row "$CROS --phi0 3/7" 2 "^collapse: error: invalid phi0 = 3/7: valid range is phi0 with T0 = d/phi0 an integer"
row "$CROS --trials 1" 2 "^collapse: error: invalid --trials = 1: valid range is an integer 2 <= trials <= "
row "crossover --simulate --T-max 2000 --trials 100000 --max-seconds 1" 2 "^collapse: error: invalid --trials = 100000: valid range is a run of at most --max-seconds = 1 s \\(estimated"
row "crossover --simulate --T-max 1e6 --trials 10" 2 "^collapse: error: invalid T = [0-9]+: valid range is sizes whose working memory fits"

# ---- kind 6 at the CLI: inputs that hung or grew without bound are refused at once ------------------------
printf 'eig,w2\n2 0,1\n1,1\n' > "$OUT/blank.csv"
row "$(echo "$EVALO" | sed 's/ --T [^ ]*//') --T 1e999999" 2 "^collapse: error: invalid --T = 1e999999: valid range is a number of at most"
for extra in "" " --sigma2 1 --n 0"; do
  q=kappa; [ -n "$extra" ] && q=ridge-risk
  row "eval $q --spectrum file:/dev/zero --T 4 --lambda 1$extra" 2 "^collapse: error: invalid --spectrum = file:/dev/zero: valid range is a regular"
done
row "eval kappa --spectrum file:$OUT/blank.csv --T 4 --lambda 1" 2 "^collapse: error: invalid eig at $OUT/blank.csv:2 = '2 0': valid range is one number"
row "eval ridge-risk --spectrum isotropic --d 10 --w0norm2 1 --T 20 --lambda 1 --sigma2 1 --n 0 --T0 30" 2 "^collapse: error: invalid --T0 = 30: valid range is only with n >= 1"

# ---- issue 8 at the CLI: at the interpolation threshold only what is really infinite is refused, naming it --
ISO4="--spectrum isotropic --d 4 --w0norm2 1"
for s2 in 1 1e-40; do
  row "eval ridge-risk $ISO4 --T 4 --lambda 0 --sigma2 $s2 --n 0" 2 "^collapse: error: invalid lambda = 0: valid range is lambda > 0 when d = T and sigma2 > 0"
  row "eval ridge-risk --spectrum file:data/reference/spectra/linspace20.csv --T 20 --lambda 0 --sigma2 $s2 --n 0" 2 "^collapse: error: invalid lambda = 0: valid range is lambda > 0 when d = T and sigma2 > 0"
  row "eval overgen-risk $ISO4 --T0 2 --n 1 --sigma02 1 --T 4 --lambda 0 --sigma2 $s2" 2 "^collapse: error: invalid lambda = 0: valid range is lambda > 0 when d = T and sigma2 > 0"
  row "eval iso-risk --phi 1 --lambda 0 --w0norm2 1 --sigma2 $s2 --m 1" 2 "^collapse: error: invalid lambda = 0: valid range is lambda > 0 when phi = 1 and sigma2 > 0"
  row "eval overgen-iso-risk --phi 1 --phi0 2 --lambda 0 --n 1 --w0norm2 1 --sigma2 $s2 --sigma02 1" 2 "^collapse: error: invalid lambda = 0: valid range is lambda > 0 when phi = 1 and sigma2 > 0"
done
for T0 in 4 5; do  # sigma02 > 0 makes the generators' error infinite for T0 in {d, d+1}
  row "eval ridge-risk $ISO4 --T 8 --lambda 1 --sigma2 1 --n 1 --T0 $T0 --sigma02 1" 2 "^collapse: error: invalid T0 = $T0: valid range is T0 >= d \\+ 2 = 6 when n >= 1 and sigma02 > 0"
  row "eval lambda-opt $ISO4 --T 8 --sigma2 1 --n 1 --T0 $T0 --sigma02 1" 2 "^collapse: error: invalid T0 = $T0: valid range is T0 >= d \\+ 2 = 6"
done
row "eval iso-lambda-opt --phi 1 --w0norm2 0 --sigma2 0 --m 1" 2 "^collapse: error: invalid (--)?w0norm2 = 0"

# ---- certified results beyond the number format: refused naming the parameter that drives them, at once --
# (T* = base^(1/(2 beta r)) grows like 10^(c/r): r = 1e-7 hung, r = 1e-10 printed a certified 0)
for r in 1e-6 1e-7 1e-10 1e-20 1e-100 1e-400; do
  row "eval crossover --beta 1.5 --r $r --sigma-eff2 1" 2 "^collapse: error: invalid --r = $r: valid range is r with \\|log10 T\\*\\| <= 100000 \\(T\\* = 10\\^"
done
# the crossover command: a T grid on which the DE never crosses its midpoint rate names --T-max and where the
# §5.6 formula puts T* (r -> 0 pushes T* beyond any grid)
for r in 0.01 1e-3; do
  row "crossover --beta 2 --r $r" 2 "^collapse: error: invalid --T-max = 1e\\+08: valid range is a grid \\[T-min, T-max\\] on which .* \\(the §5.6 formula puts T\\* (near [0-9.e+]+|beyond 1e308)\\) \\(on \\[10, 1e\\+08\\] it never does\\)"
done
# inputs at which the minimised DE cannot be evaluated are refused naming the grid point and the parameters (review:
# internal convergence messages, exit 1)
row "crossover --beta 64" 2 "^collapse: error: invalid T = [0-9]+ \\(beta = 64, r = 2/5, sigma02 = 1/1000000, d = 100 T\\): valid range is a grid point at which the minimised DE can be evaluated and certified"
row "crossover --sigma02 1e300" 2 "^collapse: error: invalid T = [0-9]+ \\(beta = 2, r = 2/5, sigma02 = 1e\\+300, d = 100 T\\)"
# a result no evaluator knows the cause of is refused naming the quantity (the certification's own check)
row "eval kappa-opt-asymptotic --beta 64 --r 1e-9 --T 1e-9999 --sigma-eff2 1e9999" 2 "^collapse: error: invalid kappa-opt-asymptotic = 10\\^1.28e\\+06: valid range is a result of magnitude 10\\^-100000 to 10\\^100000"
# lambda* is infinite without signal: refused as iso-lambda-opt refuses it, not "cannot certify"
row "eval lambda-opt --spectrum isotropic --d 4 --w0norm2 0 --T 8 --sigma2 1 --n 0" 2 "^collapse: error: invalid (--)?w0norm2 = 0: valid range is w0norm2 > 0"
printf 'eig,w2\n1,0\n0.5,0\n' > "$OUT/nosignal.csv"
row "eval lambda-opt --spectrum file:$OUT/nosignal.csv --T 8 --sigma2 1 --n 0" 2 "^collapse: error: invalid spectrum file = $OUT/nosignal.csv: valid range is at least one row with w2 > 0"

# ---- output paths: checked before any work, naming the option as typed ----------------------------------
mkdir -p "$OUT/ro" && printf 'x' > "$OUT/ro/golden.csv" && chmod 444 "$OUT/ro/golden.csv"
for bad in /nonexistent/x.json "$OUT" "" /proc/x.json; do
  row "$SIM --trials 10 --shard 1/1 --output $(q "$bad")" 2 "^collapse: error: invalid --output = .*: valid range is a writable file path"
  row "verify tiny-ols --suites-dir tests/harness/suites --shard 1/1 --output $(q "$bad")" 2 "^collapse: error: invalid --output = .*: valid range is a writable file path"
  row "krr --spectrum-out $(q "$bad")" 2 "^collapse: error: invalid --spectrum-out = .*: valid range is a writable file path"
  row "verify --write-golden --golden-file $(q "$bad")" 2 "^collapse: error: invalid --golden-file = .*: valid range is a writable file path"
  row "verify --golden --accept --golden-file $(q "$bad")" 2 "^collapse: error: invalid --golden-file = .*: valid range is a writable file path"
done
row "verify --golden --accept --golden-file $OUT/ro/golden.csv" 2 "^collapse: error: invalid --golden-file = $OUT/ro/golden.csv: valid range is a writable file path \\(the file is read-only\\)"
for bad in /proc/collapse-report /dev/null/report "" "$OUT/ro/golden.csv"; do
  row "$VER --report $(q "$bad")" 2 "^collapse: error: invalid --report = .*: valid range is a directory that exists or can be created"
  row "verify --golden --report $(q "$bad")" 2 "^collapse: error: invalid --report = .*: valid range is a directory that exists or can be created"
  row "merge /nonexistent/shard.json --report $(q "$bad")" 2 "^collapse: error: invalid --report = .*: valid range is a directory that exists or can be created"
  row "plot fig1a --format svg --out $(q "$bad")" 2 "^collapse: error: invalid --out = .*: valid range is a directory that exists or can be created"
done

# ---- list options: no empty item, no item twice -----------------------------------------------------------
for base in "$SIM --trials 10" "krr"; do
  for v in 1e-3, ,1e-3 , 1e-3,,1e-2 ''; do
    row "$base --lambda $(q "$v")" 2 "^collapse: error: invalid --lambda = '$v': valid range is a comma-separated list L1,L2,... of distinct values \\(item [0-9]+ of [0-9]+ is empty\\)"
  done
  row "$base --lambda 1e-3,1e-2,1e-3" 2 "^collapse: error: invalid --lambda = '1e-3,1e-2,1e-3': valid range is .* \\('1e-3' is given twice\\)"
  row "$base --lambda 1e-3,0.001" 2 "^collapse: error: invalid --lambda = '1e-3,0.001': valid range is .* \\('0.001' is '1e-3' again\\)"
done

if [ "$C" = "--list" ]; then printf '%s\n' "${rows[@]}" | tr "$SEP" '\t'; exit 0; fi

# one row: run it, compare, write "ok" or the failure report to $OUT/res.I
check_row() {
  local i=$1 args code regex rc lines why
  IFS=$SEP read -r args code regex <<< "${rows[$i]}"
  eval "timeout ${TIMEOUT:-60} \"$C\" $args" > "$OUT/out.$i" 2> "$OUT/err.$i" < /dev/null
  rc=$?
  lines=$(wc -l < "$OUT/err.$i")
  why=""
  [ "$rc" = "$code" ] || why="exit $rc (expected $code)"
  [ -s "$OUT/out.$i" ] && why="$why; stdout not empty"
  [ "$lines" = 1 ] || why="$why; $lines stderr lines"
  grep -Eq -- "$regex" "$OUT/err.$i" || why="$why; stderr does not match /$regex/"
  grep -q "valid range is" "$OUT/err.$i" || why="$why; no valid range"
  if [ -z "$why" ]; then echo ok > "$OUT/res.$i"; else
    { echo "FAIL: collapse $args"; echo "      ${why#; }"; echo "      stderr: $(head -c 300 "$OUT/err.$i" | tr '\n' '|')"; } > "$OUT/res.$i"
  fi
}

jobs_max=${JOBS:-4}
for i in "${!rows[@]}"; do
  check_row "$i" &
  while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n; done
done
wait
tried=${#rows[@]}; passed=0
for i in "${!rows[@]}"; do
  if [ "$(cat "$OUT/res.$i")" = ok ]; then passed=$((passed + 1)); else cat "$OUT/res.$i"; fi
done
echo "bad inputs: tried $tried, passed $passed"
[ "$tried" = "$passed" ]
