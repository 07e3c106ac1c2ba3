"""Reference side of `bloodbench decode-resize`: times the study's two image pipelines with
OpenCV and Pillow on the images listed in a file, with a pool of threads (OpenCV and Pillow
release the GIL while decoding and resizing, so the threads run in parallel).

  grey: cv2.imread -> cv2.cvtColor(COLOR_BGR2GRAY) -> cv2.resize((360, 360))     (HOG input)
  rgb:  PIL.Image.open -> convert("RGB") -> resize((224, 224), BILINEAR)         (network input)

Usage: decode_resize.py LIST_FILE THREADS
Each time is the best of three runs. Prints {"value": images_per_second_over_both, "grey_seconds": ..., "rgb_seconds": ..., "images": n}.
"""
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor

try:
    import cv2
    from PIL import Image
except ImportError as e:  # the tool is not installed
    print(json.dumps({"missing": e.name}))
    sys.exit(0)


def grey(path):
    return cv2.resize(cv2.cvtColor(cv2.imread(path), cv2.COLOR_BGR2GRAY), (360, 360))


def rgb(path):
    with Image.open(path) as im:
        return im.convert("RGB").resize((224, 224), Image.BILINEAR)


def timed(fn, paths, threads, repeats=3):
    """Best of `repeats` runs (the machine is shared; the minimum is the least disturbed)."""
    best = float("inf")
    with ThreadPoolExecutor(threads) as pool:
        for _ in range(repeats):
            start = time.perf_counter()
            list(pool.map(fn, paths))
            best = min(best, time.perf_counter() - start)
    return best


def main():
    paths = [p for p in open(sys.argv[1]).read().split("\n") if p]
    threads = int(sys.argv[2])
    cv2.setNumThreads(1)  # parallel across images, as ours; not inside one small resize
    g = timed(grey, paths, threads)
    r = timed(rgb, paths, threads)
    print(json.dumps({"value": 2 * len(paths) / (g + r), "grey_seconds": g, "rgb_seconds": r, "images": len(paths)}))


if __name__ == "__main__":
    main()
