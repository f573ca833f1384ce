"""One epoch of LeNet-5 on Fashion-MNIST in PyTorch, the twin of `convkit train --arch lenet5 --data
<folder> --epochs 1 --validation-split 0`: the same IDX files, the same per-channel normalization
(mean and standard deviation of the training images scaled to [0, 1]), the registered lenet5's
structure (28x28 zero-padded to 32, tanh, average pooling, C5 a 5x5 convolution, logits), batch 64,
Adam at 0.001, shuffled. Prints one JSON line: {"engine": "pytorch", "images", "seconds",
"imagesPerSecond"}, timing the training loop only, as convkit's epoch figure does."""

import gzip
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def lenet5():
    return nn.Sequential(
        nn.ZeroPad2d(2), nn.Conv2d(1, 6, 5), nn.Tanh(), nn.AvgPool2d(2),
        nn.Conv2d(6, 16, 5), nn.Tanh(), nn.AvgPool2d(2),
        nn.Conv2d(16, 120, 5), nn.Tanh(), nn.Flatten(),
        nn.Linear(120, 84), nn.Tanh(), nn.Linear(84, 10),
    )


def main():
    folder, threads = sys.argv[1], int(sys.argv[2])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    images = read_idx(os.path.join(folder, "train-images-idx3-ubyte.gz")).astype(np.float32) / 255
    labels = torch.from_numpy(read_idx(os.path.join(folder, "train-labels-idx1-ubyte.gz")).astype(np.int64))
    x = torch.from_numpy((images - images.mean()) / images.std()).unsqueeze(1)
    model = lenet5()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
    order = torch.randperm(len(x))
    start = time.perf_counter()
    for i in range(0, len(x), 64):
        batch = order[i : i + 64]
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x[batch]), labels[batch])
        loss.backward()
        optimizer.step()
        loss.item()
    seconds = time.perf_counter() - start
    print(json.dumps({"engine": "pytorch", "images": len(x), "seconds": seconds, "imagesPerSecond": len(x) / seconds}))


if __name__ == "__main__":
    main()
