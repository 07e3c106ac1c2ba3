"""Parity fixtures for the classification metrics of the Learn module (scikit-learn 1.9).

Makes Tests/Fixtures/models/classification_metrics.json: a list of cases, each with labels,
predictions and an (N, K) probability matrix, and scikit-learn's answers on them:
  report_text      classification_report(..., labels=range(K), target_names, zero_division=0), digits 2 and 4
  report           the same as output_dict (per class and the averages)
  confusion        confusion_matrix(labels=range(K))
  roc              per class roc_curve(y == k, p[:, k]) (drop_intermediate=True) and auc(fpr, tpr);
                   null for a class without positives (the study's plot skips it)
  micro            roc_curve(label_binarize(y).ravel(), p.ravel()) and its auc
  roc_auc_ovr      roc_auc_score(y, p, multi_class="ovr", labels=range(K)) (macro average)
Thresholds are written without their first entry (+inf, which JSON cannot hold); NaN as null.

Cases: scores with many ties (probabilities k/10), a class that has no positives (and one never
predicted), a two-class problem, and a float32 softmax of 400 samples x 8 classes.

Rerun from the repository root:
  $BLOODSTUDY_REF_VENV/bin/python Tests/Fixtures/tools/classification_metrics.py
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.metrics import auc, classification_report, confusion_matrix, roc_auc_score, roc_curve
from sklearn.preprocessing import label_binarize

OUT = os.path.join(os.path.dirname(__file__), "..", "models")
os.makedirs(OUT, exist_ok=True)
warnings.simplefilter("ignore")


def nan_to_none(values):
    return [None if np.isnan(v) else float(v) for v in values]


def curve(positives, scores):
    fpr, tpr, thresholds = roc_curve(positives, scores)
    assert np.isinf(thresholds[0])
    return {"fpr": nan_to_none(fpr), "tpr": nan_to_none(tpr), "thresholds": [float(t) for t in thresholds[1:]],
            "auc": None if np.isnan(auc(fpr, tpr)) else float(auc(fpr, tpr))}


def case(name, y, pred, p, names):
    k = p.shape[1]
    labels = list(range(k))
    y_bin = label_binarize(y, classes=labels)
    if k == 2:
        y_bin = np.hstack((1 - y_bin, y_bin))
    roc = [curve(y_bin[:, c], p[:, c]) if y_bin[:, c].sum() > 0 else None for c in range(k)]
    ovr = roc_auc_score(y, p, multi_class="ovr", labels=labels) if k > 2 else roc_auc_score(y, p[:, 1])
    report = classification_report(y, pred, labels=labels, target_names=names, zero_division=0, output_dict=True)
    return {
        "name": name, "classes": k, "target_names": names,
        "labels": [int(v) for v in y], "predictions": [int(v) for v in pred],
        "probabilities": [[float(v) for v in row] for row in p],
        "report_text": classification_report(y, pred, labels=labels, target_names=names, zero_division=0),
        "report_text_4": classification_report(y, pred, labels=labels, target_names=names, zero_division=0, digits=4),
        "per_class": [{key: float(report[n][key]) for key in ("precision", "recall", "f1-score", "support")} for n in names],
        "accuracy": float(report["accuracy"]),
        "macro": {key: float(v) for key, v in report["macro avg"].items()},
        "weighted": {key: float(v) for key, v in report["weighted avg"].items()},
        "confusion": confusion_matrix(y, pred, labels=labels).tolist(),
        "roc": roc,
        "micro": curve(y_bin.ravel(), p.ravel()),
        "roc_auc_ovr": None if np.isnan(ovr) else float(ovr),
    }


rng = np.random.default_rng(7)
cases = []

# 1. Ties: probabilities are k/10 so many scores repeat, within and across classes.
n, k = 240, 6
y = rng.integers(0, k, n)
counts = rng.multinomial(10, np.ones(k) / k, size=n)
counts[np.arange(n), y] += rng.integers(0, 6, n)          # lean towards the true class
counts = (counts * 10 // counts.sum(1, keepdims=True))     # integers summing to about 10
counts[:, 0] += 10 - counts.sum(1)
p = counts / 10.0
pred = p.argmax(1)
cases.append(case("ties", y, pred, p, [f"class {c}" for c in range(k)]))

# 2. A class without positives (2) and one never predicted (4); long and short names.
n, k = 150, 5
y = rng.choice([0, 1, 3, 4], n, p=[0.4, 0.3, 0.2, 0.1])
logits = rng.normal(size=(n, k))
logits[np.arange(n), y] += 1.5
p = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
pred = p.argmax(1)
pred[pred == 4] = 2
cases.append(case("missing_class", y, pred, p, ["eosinophil", "ig", "lymphocyte (none)", "basophil", "x"]))

# 3. Two classes, scores on a coarse grid.
n = 60
y = rng.integers(0, 2, n)
s = np.round(np.clip(0.5 + 0.3 * (2 * y - 1) + rng.normal(0, 0.3, n), 0, 1), 1)
p = np.stack([1 - s, s], 1)
pred = (s >= 0.5).astype(int)
cases.append(case("binary", y, pred, p, ["negative", "positive"]))

# 4. A softmax computed in float32 over 8 classes, as a model's output.
n, k = 400, 8
y = rng.choice(k, n, p=[0.07, 0.18, 0.09, 0.17, 0.07, 0.08, 0.2, 0.14])
logits = rng.normal(size=(n, k)).astype(np.float32)
logits[np.arange(n), y] += np.float32(3.0)
e = np.exp(logits - logits.max(1, keepdims=True))
p = (e / e.sum(1, keepdims=True)).astype(np.float32).astype(np.float64)
pred = p.argmax(1)
names = ["basophil", "eosinophil", "erythroblast", "ig", "lymphocyte", "monocyte", "neutrophil", "platelet"]
cases.append(case("softmax_test_part", y, pred, p, names))

with open(os.path.join(OUT, "classification_metrics.json"), "w") as f:
    json.dump({"sklearn": sklearn.__version__, "cases": cases}, f, separators=(",", ":"))
print("wrote", len(cases), "cases with scikit-learn", sklearn.__version__)
