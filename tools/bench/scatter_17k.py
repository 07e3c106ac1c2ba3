"""Reference for `bloodbench scatter-17k`: matplotlib draws the 17,092-point two-panel scatter to PNG.

Usage: python tools/bench/scatter_17k.py POINTS.bin REPEATS
POINTS.bin holds n records of float64 (pca_x, pca_y, tsne_x, tsne_y, class_index), written by the
Swift side so both draw the same points. The figure matches Plot's `Charts.embedding`: 1000x480 px
(10x4.8 in at 100 dpi), one scatter per class and panel (marker 5 pt, alpha 0.7, dark slate edge
0.35 pt), titles, axis labels, a legend at the right. Prints the median seconds per figure as
{"value": s} on the last line.
"""
import io
import json
import sys
import time

try:
    import numpy as np
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError as e:  # the tool is not installed
    print(json.dumps({"missing": e.name}))
    sys.exit(0)

COLORS = {"neutrophil": "#E63946", "eosinophil": "#2A9D8F", "ig": "#457B9D", "platelet": "#6A4C93",
          "erythroblast": "#F4A261", "monocyte": "#E9C46A", "basophil": "#264653", "lymphocyte": "#F77F00"}
CLASSES = ["basophil", "eosinophil", "erythroblast", "ig", "lymphocyte", "monocyte", "neutrophil", "platelet"]


def draw(data):
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.8), dpi=100)
    for k, name in enumerate(CLASSES):
        rows = data[data[:, 4] == k]
        left.scatter(rows[:, 0], rows[:, 1], s=25, alpha=0.7, color=COLORS[name], edgecolors="#2F4F4F",
                     linewidths=0.35, label=name)
        right.scatter(rows[:, 2], rows[:, 3], s=25, alpha=0.7, color=COLORS[name], edgecolors="#2F4F4F",
                      linewidths=0.35)
    left.set_title("PCA of Deep Features (First 2 Components)")
    left.set_xlabel("Principal Component 1")
    left.set_ylabel("Principal Component 2")
    right.set_title("t-SNE of Deep Features")
    right.set_xlabel("t-SNE Component 1")
    right.set_ylabel("t-SNE Component 2")
    for ax in (left, right):
        ax.grid(True, color="#d9d9d9", linewidth=0.6)
    fig.suptitle("Dimensionality Reduction Comparison (Deep Features)")
    fig.legend(title="Label", loc="upper right")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def main():
    path, repeats = sys.argv[1], int(sys.argv[2])
    data = np.fromfile(path, dtype=np.float64).reshape(-1, 5)
    draw(data)  # warm-up: font cache, imports
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        draw(data)
        times.append(time.perf_counter() - start)
    print(f"matplotlib {matplotlib.__version__}: {len(data)} points, times {['%.3f' % t for t in times]}")
    print(json.dumps({"value": float(np.median(times))}))


main()
