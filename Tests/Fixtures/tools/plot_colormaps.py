"""Makes Tests/Fixtures/plot/colormaps.json: matplotlib's 256-entry viridis, RdPu and tab10 tables.

Rerun: .cache/refvenv/bin/python Tests/Fixtures/tools/plot_colormaps.py   (from the repository root)
PlotTests compares Plot's colour maps with these tables (largest channel difference <= 3/255).
"""
import json
import matplotlib
from matplotlib import colormaps

out = {"matplotlib": matplotlib.__version__}
for name in ["viridis", "RdPu"]:
    cmap = colormaps[name].resampled(256)
    out[name] = [[round(float(c), 6) for c in cmap(i)[:3]] for i in range(256)]
out["tab10"] = [matplotlib.colors.to_hex(c) for c in colormaps["tab10"].colors]
with open("Tests/Fixtures/plot/colormaps.json", "w") as f:
    json.dump(out, f, separators=(",", ":"))
