"""Parity fixtures for t-SNE, k-means, nearest neighbours and clustering metrics (Learn module).

Makes, in Tests/Fixtures/learn/ (all from scikit-learn's bundled digits set and seeded blobs):
  clustering_digits_x.npy        digits features (1797, 64) uint8, values 0..16
  clustering_digits_y.npy        digits labels (1797,) int64
  tsne_digits_embedding.npy      sklearn TSNE(learning_rate=200, random_state=42, init="pca") on
                                 the digits as float64, embedding (1797, 2) float32
  tsne_digits.json               its kl_divergence_, n_iter_ and 10-NN preservation
  kmeans_blobs_x.npy             make_blobs(1500, 10 features, 8 centres, std 1.5, seed 7) (1500, 10) f8
  kmeans.json                    sklearn KMeans(n_init=10) inertia / labels on blobs (k 8) and digits (k 10)
  neighbors_digits_*.npy         kneighbors of every standardised digit (n_neighbors 6, query = training
                                 set so each row starts with itself), cosine and euclidean: indices int32,
                                 distances f8
  clustering_metrics.json        label pairs with sklearn's ARI, NMI (arithmetic) and contingency matrix

Rerun from the repository root:
  $BLOODSTUDY_REF_VENV/bin/python Tests/Fixtures/tools/learn_clustering.py
Deterministic (fixed seeds); takes about a minute.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.datasets import load_digits, make_blobs
from sklearn.manifold import TSNE
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from sklearn.metrics.cluster import contingency_matrix
from sklearn.neighbors import NearestNeighbors

OUT = os.path.join(os.path.dirname(__file__), "..", "learn")
os.makedirs(OUT, exist_ok=True)


def save(name, array):
    np.save(os.path.join(OUT, name), array)


def dump(name, obj):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(obj, f, separators=(",", ":"))
        f.write("\n")


def preservation(high, low, k=10):
    """Mean fraction of each point's k nearest neighbours in `high` that are among its k in `low`."""
    def knn(z):
        return NearestNeighbors(n_neighbors=k).fit(z).kneighbors(return_distance=False)
    a, b = knn(high), knn(low)
    return float(np.mean([len(set(a[i]) & set(b[i])) / k for i in range(len(a))]))


digits = load_digits()
x_digits = digits.data.astype(np.uint8)
y_digits = digits.target.astype(np.int64)
save("clustering_digits_x.npy", x_digits)
save("clustering_digits_y.npy", y_digits)
xd = x_digits.astype(np.float64)

# t-SNE with the study's settings.
tsne = TSNE(n_components=2, perplexity=30, learning_rate=200, max_iter=1000, init="pca", random_state=42)
embedding = tsne.fit_transform(xd)
save("tsne_digits_embedding.npy", embedding.astype(np.float32))
dump("tsne_digits.json", {"sklearn": sklearn.__version__, "kl_divergence": float(tsne.kl_divergence_),
                          "n_iter": int(tsne.n_iter_), "preservation10": preservation(xd, embedding)})

# K-means: well-separated blobs and the (harder) digits.
x_blobs, _ = make_blobs(n_samples=1500, n_features=10, centers=8, cluster_std=1.5, random_state=7)
save("kmeans_blobs_x.npy", x_blobs)
kmeans = {}
for name, x, k in [("blobs", x_blobs, 8), ("digits", xd, 10)]:
    km = KMeans(n_clusters=k, n_init=10, random_state=0).fit(x)
    kmeans[name] = {"k": k, "inertia": float(km.inertia_), "labels": km.labels_.tolist(), "n_iter": int(km.n_iter_)}
dump("kmeans.json", kmeans)

# Nearest neighbours on standardised digits (inline StandardScaler: population std, zero std -> 1).
std = xd.std(axis=0)
std[std == 0] = 1
scaled = (xd - xd.mean(axis=0)) / std
for metric in ["cosine", "euclidean"]:
    nn = NearestNeighbors(n_neighbors=6, metric=metric).fit(scaled)
    distances, indices = nn.kneighbors(scaled)
    save(f"neighbors_digits_{metric}_indices.npy", indices.astype(np.int32))
    save(f"neighbors_digits_{metric}_distances.npy", distances)

# Clustering metrics on assorted label pairs.
rng = np.random.default_rng(0)
pairs = [
    ("digits truth vs k-means", y_digits, np.array(kmeans["digits"]["labels"])),
    ("renamed identical", np.array([0, 0, 1, 1, 2, 2]), np.array([5, 5, 3, 3, 9, 9])),
    ("one cluster predicted", np.array([0, 1, 2, 0, 1, 2]), np.zeros(6, dtype=int)),
    ("random 50, 3 vs 4", rng.integers(0, 3, 50), rng.integers(0, 4, 50)),
    ("random 1000, 8 vs 8", rng.integers(0, 8, 1000), rng.integers(0, 8, 1000)),
    ("noisy copy 17092, 8 classes", None, None),
]
truth = rng.integers(0, 8, 17092)
noisy = np.where(rng.random(17092) < 0.3, rng.integers(0, 8, 17092), truth)
pairs[-1] = ("noisy copy 17092, 8 classes", truth, noisy)
metrics = []
for name, a, b in pairs:
    metrics.append({"name": name, "truth": a.tolist(), "predicted": b.tolist(),
                    "ari": float(adjusted_rand_score(a, b)), "nmi": float(normalized_mutual_info_score(a, b)),
                    "contingency": contingency_matrix(a, b).tolist()})
dump("clustering_metrics.json", metrics)
print("tsne kl", tsne.kl_divergence_, "n_iter", tsne.n_iter_, {k: v["inertia"] for k, v in kmeans.items()})
