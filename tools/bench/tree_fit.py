"""Reference for `bloodbench tree-fit`: scikit-learn DecisionTreeClassifier(max_depth=10,
min_samples_split=2, random_state=42) on the features and labels bloodbench wrote (.npy, float64;
cast to float32 first, as scikit-learn does internally, and outside the timing).

Usage: python tools/bench/tree_fit.py X.npy Y.npy
Prints {"value": seconds of one fit, "node_count": ..., "train_predictions": [...]} as its last line
(or {"missing": "sklearn"}).
"""
import json
import sys
import time

try:
    import numpy as np
    from sklearn.tree import DecisionTreeClassifier
except ImportError:
    print(json.dumps({"missing": "sklearn"}))
    sys.exit(0)

x = np.ascontiguousarray(np.load(sys.argv[1]).astype(np.float32))
y = np.load(sys.argv[2]).ravel().astype(np.int64)
start = time.perf_counter()
tree = DecisionTreeClassifier(max_depth=10, min_samples_split=2, random_state=42).fit(x, y)
seconds = time.perf_counter() - start
print(json.dumps({"value": seconds, "node_count": int(tree.tree_.node_count), "depth": int(tree.get_depth()),
                  "train_predictions": tree.predict(x).tolist()}))
