# Helpers shared by the CI scripts that .ci/run calls (sourced, not run).

step() { printf '\n--- %s ---\n' "$*"; }
# Prints the command, with its environment assignments, before running it.
run() {
  printf '+ %s\n' "$*"
  env "$@"
}
skipped() { printf 'SKIPPED: %s\n' "$*"; }
