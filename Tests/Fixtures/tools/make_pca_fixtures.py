"""Makes the StandardScaler and PCA parity fixtures in Tests/Fixtures/pca/ with scikit-learn.

What it writes (float64 .npy, seeded, deterministic):
  scaler_x.npy            (60, 8)  data with a constant column (3), a nearly constant one (5, spread
                                   1e-9 around 1e6, which sklearn treats as constant) and mixed scales
  scaler_mean/var/scale.npy (8,)   StandardScaler().fit(x).mean_ / var_ / scale_
  scaler_xt.npy           (60, 8)  StandardScaler().fit_transform(x)
  pca_<shape>_x.npy                wide (40, 120): n < d, the Gram path; tall (300, 25): d < n, the
                                   covariance path. Columns scaled so the spectrum is well separated.
  pca_<shape>_ratio.npy            PCA().fit(x).explained_variance_ratio_ (min(n, d) values)
  pca_<shape>_variance.npy         explained_variance_
  pca_<shape>_components.npy (5, d) components_[:5]  (signs by sklearn's svd_flip)
  pca_<shape>_xt.npy      (n, 5)   PCA().fit_transform(x)[:, :5]
  pca_<shape>_k95.npy              PCA(n_components=0.95).fit(x).n_components_ (sklearn's rule)
  pca_manifest.json                versions and the solver sklearn chose

Rerun from the repository root:
  $BLOODSTUDY_REF_VENV/bin/python Tests/Fixtures/tools/make_pca_fixtures.py
"""
import json
import os

import numpy as np
import sklearn
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler

OUT = "Tests/Fixtures/pca"


def save(name, array):
    np.save(os.path.join(OUT, name + ".npy"), np.asarray(array, dtype=np.float64))


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(2024)

    x = rng.normal(size=(60, 8)) * np.array([1, 10, 0.01, 1, 1e3, 1, 5, 0.5]) + np.array([0, 5, -3, 0, 1e4, 0, 1, 7])
    x[:, 3] = 4.25
    x[:, 5] = 1e6 + rng.normal(size=60) * 1e-9
    scaler = StandardScaler().fit(x)
    save("scaler_x", x)
    save("scaler_mean", scaler.mean_)
    save("scaler_var", scaler.var_)
    save("scaler_scale", scaler.scale_)
    save("scaler_xt", scaler.transform(x))

    solvers = {}
    for shape, (n, d) in {"wide": (40, 120), "tall": (300, 25)}.items():
        latent = rng.normal(size=(n, min(n, d)))
        mixing = rng.normal(size=(min(n, d), d))
        weights = 0.8 ** np.arange(min(n, d))
        x = (latent * weights) @ mixing + 0.05 * rng.normal(size=(n, d)) + 3.0
        pca = PCA().fit(x)
        solvers[shape] = pca._fit_svd_solver
        save(f"pca_{shape}_x", x)
        save(f"pca_{shape}_ratio", pca.explained_variance_ratio_)
        save(f"pca_{shape}_variance", pca.explained_variance_)
        save(f"pca_{shape}_components", pca.components_[:5])
        save(f"pca_{shape}_xt", pca.transform(x)[:, :5])
        save(f"pca_{shape}_k95", [PCA(n_components=0.95).fit(x).n_components_])

    with open(os.path.join(OUT, "pca_manifest.json"), "w") as f:
        json.dump({"tool": "Tests/Fixtures/tools/make_pca_fixtures.py", "sklearn": sklearn.__version__,
                   "numpy": np.__version__, "svd_solver_chosen": solvers}, f, indent=1)


if __name__ == "__main__":
    main()
