#!/usr/bin/env bash
# Installs the Debian packages bloodstudy builds against, when missing.
# As root it runs apt-get; otherwise it names the packages and how to install them.
set -euo pipefail
# libdnnl2 (oneDNN) is optional at build time: `GEMMBackend` loads it when present for the float32 products.
packages=(pkg-config libopenblas-dev liblapacke-dev libcairo2-dev libpng-dev libturbojpeg0-dev fonts-dejavu-core libdnnl2)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  echo "Installing missing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
