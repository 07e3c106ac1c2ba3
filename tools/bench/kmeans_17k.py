"""Reference for `bloodbench kmeans-17k`: scikit-learn KMeans (k 8, n_init 10) on the .npy bloodbench wrote.

Usage: python tools/bench/kmeans_17k.py DATA.npy
Prints {"value": seconds (best of 5 fits), "inertia": ...} as its last line (or {"missing": "sklearn"}).
Threads follow OMP_NUM_THREADS, which bloodbench sets to the core count.
"""
import json
import sys
import time

try:
    import numpy as np
    from sklearn.cluster import KMeans
except ImportError:
    print(json.dumps({"missing": "sklearn"}))
    sys.exit(0)

x = np.load(sys.argv[1])
best = float("inf")
for _ in range(5):
    start = time.perf_counter()
    km = KMeans(n_clusters=8, n_init=10, max_iter=300, tol=1e-4, random_state=42).fit(x)
    best = min(best, time.perf_counter() - start)
print(json.dumps({"value": best, "inertia": float(km.inertia_), "n_iter": int(km.n_iter_)}))
