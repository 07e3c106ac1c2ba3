"""Makes the t-SNE duplicate-rows fixture: why scikit-learn can print a negative KL divergence.

scikit-learn's Barnes-Hut t-SNE reports as `kl_divergence_` the sum of p_ij log(p_ij / q_ij) over
the sparse P with q_ij = (1 + d_ij^2)^-1 / Z, where Z is the quadtree's estimate. The quadtree keeps
coincident points (within 1e-6) in one leaf and skips that leaf as "the point itself"
(sklearn/neighbors/_quad_tree.pyx, `summarize`), so duplicate rows, which stay on one spot of the
embedding, drop out of Z. Z is then too small, every q_ij too large, and the "KL" can fall below 0.
The exact KL of the same embedding (Z over all pairs) is positive.

What it writes to Tests/Fixtures/learn/:
  tsne_duplicates_x.npy   (320, 10) float64: 8 Gaussian clusters of 20 points, every row twice
  tsne_duplicates.json    sklearn TSNE(perplexity=30, learning_rate=200, max_iter=500, init="pca",
                          random_state=42) on it: kl_divergence_ (Barnes-Hut), the exact KL of its
                          embedding, and n_iter_

Rerun (from the repository root):
  $BLOODSTUDY_REF_VENV/bin/python Tests/Fixtures/tools/tsne_duplicates.py
Deterministic: numpy's seeded generator and sklearn's random_state.
"""
import json
import os

import numpy as np
import sklearn
from scipy.spatial.distance import pdist, squareform
from sklearn.manifold import TSNE
from sklearn.manifold._t_sne import _joint_probabilities_nn
from sklearn.neighbors import NearestNeighbors

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "learn")
PERPLEXITY = 30


def exact_kl(x, y):
    """KL(P || Q) with sklearn's sparse P and Q normalised over all pairs of the embedding."""
    k = min(len(x) - 1, int(3.0 * PERPLEXITY + 1))
    graph = NearestNeighbors(n_neighbors=k).fit(x).kneighbors_graph(mode="distance")
    graph.data **= 2
    p = _joint_probabilities_nn(graph, PERPLEXITY, 0).toarray()
    q = 1 / (1 + squareform(pdist(y, "sqeuclidean")))
    np.fill_diagonal(q, 0)
    q /= q.sum()
    m = p > 0
    return float((p[m] * np.log(p[m] / q[m])).sum())


def main():
    rng = np.random.default_rng(20261129)
    centres = 3 * rng.normal(size=(8, 10))
    once = np.concatenate([c + rng.normal(size=(20, 10)) for c in centres])
    x = np.repeat(once, 2, axis=0)
    np.save(os.path.join(OUT, "tsne_duplicates_x.npy"), x)
    tsne = TSNE(perplexity=PERPLEXITY, learning_rate=200, max_iter=500, init="pca", random_state=42)
    y = tsne.fit_transform(x)
    result = {"sklearn": sklearn.__version__, "kl_divergence": float(tsne.kl_divergence_),
              "exact_kl_divergence": exact_kl(x, y), "n_iter": int(tsne.n_iter_)}
    with open(os.path.join(OUT, "tsne_duplicates.json"), "w") as f:
        json.dump(result, f, indent=1)
    print(result)


if __name__ == "__main__":
    main()
