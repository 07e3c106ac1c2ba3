"""Reference for `bloodbench tsne-17k`: scikit-learn TSNE on the .npy bloodbench wrote.

Usage: python tools/bench/tsne_17k.py DATA.npy
Prints {"value": seconds, "kl_divergence": ...} as its last line (or {"missing": "sklearn"}).
Threads follow OMP_NUM_THREADS, which bloodbench sets to the core count.
"""
import json
import sys
import time

try:
    import numpy as np
    from sklearn.manifold import TSNE
except ImportError:
    print(json.dumps({"missing": "sklearn"}))
    sys.exit(0)

x = np.load(sys.argv[1])
start = time.perf_counter()
tsne = TSNE(n_components=2, perplexity=30, learning_rate=200, max_iter=1000, init="pca", random_state=42)
tsne.fit_transform(x)
elapsed = time.perf_counter() - start
print(json.dumps({"value": elapsed, "kl_divergence": float(tsne.kl_divergence_), "n_iter": int(tsne.n_iter_)}))
