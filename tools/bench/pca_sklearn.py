"""Reference for `bloodbench pca-hog`: sklearn PCA() (n_components=None, the study's
compute_explained_variance) fitted on the same standardised HOG-like matrix.

Usage: pca_sklearn.py MATRIX.f32 ROWS COLUMNS
MATRIX.f32 is float32 row-major (written by bloodbench); it is widened to float64 first, as the
study's HOG features are float64. sklearn's 'auto' policy picks the solver (reported as "solver":
'full', a LAPACK SVD, for n_components=None on a wide matrix). Threads: OMP/OPENBLAS_NUM_THREADS
as set by bloodbench (2). Prints {"value": wall seconds to fit, "cpu": CPU seconds (all threads), "solver", "k95", "k99"}.
"""
import json
import sys
import time

try:
    import numpy as np
    from sklearn.decomposition import PCA
except ImportError as error:
    print(json.dumps({"missing": error.name}))
    sys.exit(0)

path, rows, columns = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
x = np.fromfile(path, dtype=np.float32).reshape(rows, columns).astype(np.float64)
start, cpu_start = time.perf_counter(), time.process_time()
pca = PCA().fit(x)
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
cumsum = np.cumsum(pca.explained_variance_ratio_)
print(json.dumps({"value": elapsed, "cpu": cpu, "solver": pca._fit_svd_solver,
                  "k95": int(np.argmax(cumsum >= 0.95) + 1), "k99": int(np.argmax(cumsum >= 0.99) + 1)}))
