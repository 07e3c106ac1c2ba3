"""Reference values for the Learn module's bootstrap intervals and calibration error (numpy).

Writes into Tests/Fixtures/learn/:
  bootstrap_calibration.json   cases: labels, two models' predictions and probabilities, the seed,
                               and numpy's answers (below)
  bootstrap_<case>_indices.npy the (B, n) resample indices, np.random.RandomState(seed).randint(0, n, size=(B, n))

For each case, computed with the same indices in numpy:
  accuracy, macro_f1       per resample, and the 2.5 / 97.5 percentiles (np.percentile, linear)
  recall                   per class the 95% interval (np.nanpercentile; NaN where a resample has no image of the class)
  paired                   per resample acc(a) - acc(b) and its interval
  ece                      expected calibration error with 15 equal-width bins (lower, upper] on the
                           max probability, and each bin's count, mean confidence and accuracy
Macro F1 per resample is checked against sklearn's f1_score(labels=range(K), average="macro",
zero_division=0) on the first resamples before it is written.

Cases: "softmax" (150 images, 8 classes, float32 softmax of noisy logits, 1000 resamples), "rare"
(60 images, a class with a single image, so many resamples miss it; 400 resamples) and "edges"
(confidences exactly on bin edges k/15, and a tie between two classes).

Rerun from the repository root:
  $BLOODSTUDY_REF_VENV/bin/python Tests/Fixtures/tools/bootstrap_calibration.py
"""
import json
import os

import numpy as np
from sklearn.metrics import f1_score

OUT = os.path.join(os.path.dirname(__file__), "..", "learn")
os.makedirs(OUT, exist_ok=True)


def macro_f1(y, p, k):
    tp = np.array([np.sum((y == c) & (p == c)) for c in range(k)], dtype=np.float64)
    true = np.array([np.sum(y == c) for c in range(k)], dtype=np.float64)
    pred = np.array([np.sum(p == c) for c in range(k)], dtype=np.float64)
    denominator = true + pred
    f1 = np.where(denominator == 0, 0.0, 2 * tp / np.where(denominator == 0, 1, denominator))
    return f1.mean()


def ece(probabilities, y, bins=15):
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == y
    edges = np.linspace(0, 1, bins + 1)
    total, rows = 0.0, []
    for lower, upper in zip(edges[:-1], edges[1:]):
        inside = (confidence > lower) & (confidence <= upper)
        n = int(inside.sum())
        if n == 0:
            rows.append({"count": 0, "mean_confidence": None, "accuracy": None})
            continue
        mean_confidence = float(confidence[inside].mean())
        accuracy = float(correct[inside].mean())
        total += abs(accuracy - mean_confidence) * (n / len(y))
        rows.append({"count": n, "mean_confidence": mean_confidence, "accuracy": accuracy})
    return total, rows


def interval(values):
    return [float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5))]


def nan_interval(values):
    return [float(np.nanpercentile(values, 2.5)), float(np.nanpercentile(values, 97.5))]


def case(name, y, probs_a, probs_b, seed, resamples):
    n, k = probs_a.shape
    pred_a, pred_b = probs_a.argmax(axis=1), probs_b.argmax(axis=1)
    indices = np.random.RandomState(seed).randint(0, n, size=(resamples, n))
    np.save(os.path.join(OUT, f"bootstrap_{name}_indices.npy"), indices.astype(np.uint8 if n < 256 else np.int32))
    accuracy = np.array([np.mean(pred_a[i] == y[i]) for i in indices])
    f1 = np.array([macro_f1(y[i], pred_a[i], k) for i in indices])
    for i in indices[:50]:
        assert abs(f1_score(y[i], pred_a[i], labels=range(k), average="macro", zero_division=0) - macro_f1(y[i], pred_a[i], k)) < 1e-12
    recall = np.full((k, resamples), np.nan)
    for b, i in enumerate(indices):
        for c in range(k):
            support = np.sum(y[i] == c)
            if support:
                recall[c, b] = np.sum((y[i] == c) & (pred_a[i] == c)) / support
    correct_a, correct_b = pred_a == y, pred_b == y
    paired = np.array([correct_a[i].mean() - correct_b[i].mean() for i in indices])
    ece_a, bins_a = ece(probs_a, y)
    return {
        "name": name, "classes": k, "seed": seed, "resamples": resamples,
        "labels": [int(v) for v in y],
        "probabilities_a": [[float(v) for v in row] for row in probs_a],
        "probabilities_b": [[float(v) for v in row] for row in probs_b],
        "accuracy": [float(v) for v in accuracy], "accuracy_interval": interval(accuracy),
        "macro_f1": [float(v) for v in f1], "macro_f1_interval": interval(f1),
        "recall_intervals": [nan_interval(recall[c]) if np.any(~np.isnan(recall[c])) else None for c in range(k)],
        "paired": [float(v) for v in paired], "paired_interval": interval(paired),
        "ece": ece_a, "bins": bins_a,
    }


def softmax(logits):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return (e / e.sum(axis=1, keepdims=True)).astype(np.float32).astype(np.float64)


def noisy(y, k, strength, rng):
    logits = rng.normal(0, 1, size=(len(y), k))
    logits[np.arange(len(y)), y] += strength
    return softmax(logits)


def main():
    rng = np.random.RandomState(2026)
    cases = []
    y = rng.randint(0, 8, size=150)
    cases.append(case("softmax", y, noisy(y, 8, 2.5, rng), noisy(y, 8, 1.5, rng), seed=20261202, resamples=1000))

    y = rng.randint(0, 4, size=60)
    y[y == 3] = 2
    y[7] = 3  # a single image of class 3
    cases.append(case("rare", y, noisy(y, 4, 1.0, rng), noisy(y, 4, 2.0, rng), seed=7, resamples=400))

    # Confidences exactly on bin edges (k/15, and 1.0) and a tie (argmax takes the first).
    k = 3
    rows, labels = [], []
    for j in range(1, 16):
        top = max(j / 15, 0.34)
        rest = (1 - top) / 2
        rows.append([rest, top, rest]); labels.append(1 if j % 3 else 0)
    rows.append([0.5, 0.5, 0.0]); labels.append(1)
    rows.append([0.4, 0.4, 0.2]); labels.append(0)
    p = np.array(rows)
    y = np.array(labels)
    cases.append(case("edges", y, p, p[:, [1, 0, 2]], seed=3, resamples=200))

    with open(os.path.join(OUT, "bootstrap_calibration.json"), "w") as f:
        json.dump({"generator": "Tests/Fixtures/tools/bootstrap_calibration.py", "numpy": np.__version__, "cases": cases}, f)
    print("wrote", len(cases), "cases")


if __name__ == "__main__":
    main()
