#!/bin/sh
# Runs the PyTorch peer (../shared/bench/torch_train.py) with Debian's interpreter and prints its
# RESULT line. The BLAS variant is chosen by library path, without touching system alternatives:
#   bench/peer/run_torch.sh reference [--epochs 1]   # reference BLAS (apt-get install -y libblas3)
#   bench/peer/run_torch.sh openblas  [--epochs 1]   # OpenBLAS, 2 threads (libopenblas0-pthread)
#   bench/peer/run_torch.sh default   [--epochs 1]   # whatever update-alternatives selects
# Environment: TORCH_TRAIN (path of torch_train.py), default ../shared/bench/torch_train.py
# relative to the repository root.
set -eu
variant="${1:-default}"
[ $# -gt 0 ] && shift
here="$(cd "$(dirname "$0")/../.." && pwd)"
script="${TORCH_TRAIN:-$here/../shared/bench/torch_train.py}"
libdir=/usr/lib/x86_64-linux-gnu
case "$variant" in
  reference)
    [ -e "$libdir/blas/libblas.so.3" ] || { echo "reference BLAS missing: apt-get install -y libblas3" >&2; exit 2; }
    export LD_LIBRARY_PATH="$libdir/blas:$libdir/lapack${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" ;;
  openblas)
    [ -d "$libdir/openblas-pthread" ] || { echo "OpenBLAS missing: apt-get install -y libopenblas0-pthread" >&2; exit 2; }
    export LD_LIBRARY_PATH="$libdir/openblas-pthread${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    export OPENBLAS_NUM_THREADS=2 ;;
  default) ;;
  *) echo "usage: $0 reference|openblas|default [torch_train.py flags]" >&2; exit 2 ;;
esac
exec /usr/bin/python3 "$script" --threads 2 "$@" | grep '^RESULT '
