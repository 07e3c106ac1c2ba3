"""Shared timing loop of the PyTorch training benchmarks (cnn_train.py, resnet18_train.py).

Times `steps` full training steps (zero_grad, forward, cross-entropy, backward, optimizer step) on
one fixed batch after `warmup` untimed steps, and prints the JSON line bloodbench reads:
{"value": images per second, "seconds_per_step": ...}.
"""
import json
import time

import torch.nn as nn


def print_training_throughput(model, optimizer, x, y, warmup, steps):
    loss_fn = nn.CrossEntropyLoss()

    def step():
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()

    for _ in range(warmup):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    elapsed = time.perf_counter() - start
    batch = x.shape[0]
    print(json.dumps({"value": batch * steps / elapsed, "seconds_per_step": elapsed / steps}))
