"""Reference for `bloodbench pca-hog-full`: numpy's route to the HOG PCA spectrum on the same
standardised 17,092 x 44,100 matrix: the Gram matrix of the centred data from float32 column
blocks accumulated in float64 (`b @ b.T`), then every eigenvalue with `numpy.linalg.eigvalsh`
in float64 (LAPACK dsyevd, no vectors).

Usage: pca_hog_full_numpy.py MATRIX.f32 ROWS COLUMNS
MATRIX.f32 is float32 row-major (written by bloodbench to /tmp). Threads: OMP/OPENBLAS_NUM_THREADS
as set by bloodbench. Prints {"value": wall seconds (Gram + eigvalsh), "gram", "eigen", "cpu",
"k95", "k99"}; reading the file is not timed.
"""
import json
import sys
import time

try:
    import numpy as np
except ImportError as error:
    print(json.dumps({"missing": error.name}))
    sys.exit(0)

path, rows, columns = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
x = np.fromfile(path, dtype=np.float32).reshape(rows, columns)
start, cpu_start = time.perf_counter(), time.process_time()
mean = x.mean(axis=0, dtype=np.float64)
gram = np.zeros((rows, rows), dtype=np.float64)
block = 512
for lo in range(0, columns, block):
    b = x[:, lo:lo + block].astype(np.float64) - mean[lo:lo + block]
    gram += b @ b.T
gram_seconds = time.perf_counter() - start
values = np.linalg.eigvalsh(gram)[::-1]
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
values = np.maximum(values, 0)
cumsum = np.cumsum(values / values.sum())
print(json.dumps({"value": elapsed, "gram": gram_seconds, "eigen": elapsed - gram_seconds, "cpu": cpu,
                  "k95": int(np.argmax(cumsum >= 0.95) + 1), "k99": int(np.argmax(cumsum >= 0.99) + 1)}))
