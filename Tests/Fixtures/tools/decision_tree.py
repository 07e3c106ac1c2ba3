"""Parity fixtures for the decision tree of the Learn module (scikit-learn 1.9).

Makes, in Tests/Fixtures/models/:
  tree_<name>_x.npy        training features (N, F) float32
  tree_<name>_y.npy        training labels (N,) int64
  tree_<name>_xtest.npy    held-out features (M, F) float32
  tree_<name>.json         DecisionTreeClassifier(max_depth=10, min_samples_split=2, random_state=42):
                           predictions and predict_proba on the held-out rows, the tree's nodes
                           (feature, threshold, children, samples), depth, leaves, feature_importances_

Cases:
  distinct   all feature values distinct (Gaussian float32), 5 classes from a non-linear rule
  ties       values on a coarse grid, duplicated columns and constant columns, so that equally good
             splits exist and features turn constant inside nodes (tie-breaking and constant bookkeeping)

Rerun from the repository root:
  $BLOODSTUDY_REF_VENV/bin/python Tests/Fixtures/tools/decision_tree.py
"""
import json
import os

import numpy as np
import sklearn
from sklearn.tree import DecisionTreeClassifier

OUT = os.path.join(os.path.dirname(__file__), "..", "models")
os.makedirs(OUT, exist_ok=True)


def write(name, x, y, xtest):
    tree = DecisionTreeClassifier(max_depth=10, min_samples_split=2, random_state=42).fit(x, y)
    t = tree.tree_
    np.save(os.path.join(OUT, f"tree_{name}_x.npy"), x)
    np.save(os.path.join(OUT, f"tree_{name}_y.npy"), y.astype(np.int64))
    np.save(os.path.join(OUT, f"tree_{name}_xtest.npy"), xtest)
    out = {
        "sklearn": sklearn.__version__,
        "classes": int(tree.n_classes_),
        "predictions": tree.predict(xtest).tolist(),
        "proba": tree.predict_proba(xtest).tolist(),
        "train_predictions": tree.predict(x).tolist(),
        "feature": t.feature.tolist(),
        "threshold": t.threshold.tolist(),
        "left": t.children_left.tolist(),
        "right": t.children_right.tolist(),
        "samples": t.n_node_samples.tolist(),
        "impurity": t.impurity.tolist(),
        "depth": int(tree.get_depth()),
        "leaves": int(tree.get_n_leaves()),
        "importances": tree.feature_importances_.tolist(),
    }
    with open(os.path.join(OUT, f"tree_{name}.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print(name, "nodes", t.node_count, "depth", out["depth"], "leaves", out["leaves"])


rng = np.random.default_rng(11)


def labels(x):
    score = np.stack([x[:, 0] * x[:, 1], np.sin(2 * x[:, 2]) + x[:, 3], x[:, 4] ** 2 - 1,
                      x[:, 5] - x[:, 6], 0.5 * x[:, 7]], 1)
    score += rng.normal(0, 0.5, score.shape)
    return score.argmax(1)


# distinct: Gaussian float32 values, every value distinct.
n, f = 700, 24
x = rng.normal(size=(n + 200, f)).astype(np.float32)
assert all(len(np.unique(x[:, j])) == len(x) for j in range(f))
y = labels(x)
write("distinct", x[:n], y[:n], x[n:])

# ties: a coarse grid, column 9 a copy of column 0 (equal splits on two features), constant columns
# 10 and 11, and 0/1 columns that become constant inside nodes.
n, f = 500, 16
x = np.round(rng.normal(size=(n + 150, f)) * 2) / 2
x[:, 9] = x[:, 0]
x[:, 10] = 1.0
x[:, 11] = -3.0
x[:, 12:] = (rng.random((n + 150, 4)) < 0.1)
x = x.astype(np.float32)
y = labels(x)
write("ties", x[:n], y[:n], x[n:])
