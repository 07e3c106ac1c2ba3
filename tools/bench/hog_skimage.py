"""Reference for `bloodbench hog`: skimage.feature.hog per-image time on the same grey images.

Usage: hog_skimage.py IMAGES.u8 COUNT SIDE
IMAGES.u8 holds COUNT grey SIDE x SIDE images, uint8, back to back (written by bloodbench).
Prints {"value": wall milliseconds per image, "cpu": CPU milliseconds per image} (study parameters: 9, (10, 10), (2, 2), L2-Hys).
"""
import json
import sys
import time

try:
    import numpy as np
    from skimage.feature import hog
except ImportError as error:
    print(json.dumps({"missing": error.name}))
    sys.exit(0)

path, count, side = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
images = np.fromfile(path, dtype=np.uint8).reshape(count, side, side)
params = dict(orientations=9, pixels_per_cell=(10, 10), cells_per_block=(2, 2), block_norm="L2-Hys")
hog(images[0], **params)  # warm-up
done, start, cpu_start = 0, time.perf_counter(), time.thread_time()
while True:
    for image in images:
        hog(image, **params)
    done += count
    elapsed = time.perf_counter() - start
    if elapsed >= 3.0:
        break
cpu = (time.thread_time() - cpu_start) / done * 1000
print(json.dumps({"value": elapsed / done * 1000, "cpu": cpu, "images": done}))
