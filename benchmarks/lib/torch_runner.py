"""Runs the works of works.mjs (read as JSON from stdin) on PyTorch CPU with the given thread count
and prints one JSON line: {"engine": "pytorch", "version", "threads", "results": [{"work", "ms",
"samples"}]}. Same shapes as the tfjs runner, in PyTorch's native NCHW layout, same timing rule;
models train with SGD and momentum 0.9, convkit's default. A third argument `bf16` times only the
training steps, in PyTorch's CPU mixed precision: torch.autocast("cpu", dtype=torch.bfloat16) over
the forward pass and loss, model and batch in channels_last (PyTorch's recipe for oneDNN bf16)."""

import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
from step_timing import time_step
from torch_darts import darts_v2
from torch_darts_search import search_step


def conv_fwd(s):
    x = torch.randn(s["batch"], s["inChannels"], s["height"], s["width"])
    w = torch.randn(s["outChannels"], s["inChannels"], s["kernel"], s["kernel"])

    def step():
        with torch.no_grad():
            F.conv2d(x, w, padding=s["kernel"] // 2)

    return step


def conv_fwd_bwd(s):
    x = torch.randn(s["batch"], s["inChannels"], s["height"], s["width"], requires_grad=True)
    w = torch.randn(s["outChannels"], s["inChannels"], s["kernel"], s["kernel"], requires_grad=True)
    dy = torch.randn(s["batch"], s["outChannels"], s["height"], s["width"])

    def step():
        x.grad = None
        w.grad = None
        F.conv2d(x, w, padding=s["kernel"] // 2).backward(dy)

    return step


def depthwise_fwd_bwd(s):
    c = s["channels"]
    x = torch.randn(s["batch"], c, s["height"], s["width"], requires_grad=True)
    w = torch.randn(c, 1, s["kernel"], s["kernel"], requires_grad=True)
    dy = torch.randn(s["batch"], c, s["height"], s["width"])

    def step():
        x.grad = None
        w.grad = None
        F.conv2d(x, w, padding=s["kernel"] // 2, groups=c).backward(dy)

    return step


def lenet5(s):
    return nn.Sequential(
        nn.Conv2d(s["input"][2], 6, 5, padding=2), nn.Tanh(), nn.AvgPool2d(2),
        nn.Conv2d(6, 16, 5), nn.Tanh(), nn.AvgPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.Tanh(), nn.Linear(120, 84), nn.Tanh(), nn.Linear(84, s["classes"]),
    )


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Identity()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        h = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(h)) + self.shortcut(x))


def resnet20(s):
    stages = s["stages"]
    layers = [nn.Conv2d(s["input"][2], stages[0], 3, 1, 1, bias=False), nn.BatchNorm2d(stages[0]), nn.ReLU()]
    channels = stages[0]
    for stage, width in enumerate(stages):
        for block in range(s["blocksPerStage"]):
            layers.append(BasicBlock(channels, width, 2 if stage > 0 and block == 0 else 1))
            channels = width
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(channels, s["classes"])]
    return nn.Sequential(*layers)


def train_step(build):
    def setup(s, bf16):
        model = build(s)
        model.train()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        h, w, c = s["input"]
        x = torch.randn(s["batch"], c, h, w)
        y = torch.randint(0, s["classes"], (s["batch"],))
        if bf16:
            model = model.to(memory_format=torch.channels_last)
            x = x.to(memory_format=torch.channels_last)

        def step():
            optimizer.zero_grad()
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()

        return step

    setup.trains = True
    return setup


def mobilenet_v2_cifar(s):
    import torchvision

    # torchvision's network (the paper's table) with a stride-1 stem, as convkit's mobilenet-v2-cifar.
    model = torchvision.models.mobilenet_v2(num_classes=s["classes"])
    model.features[0][0].stride = (1, 1)
    return model


class ResNeXtBottleneck(nn.Module):
    def __init__(self, cin, width, cout, groups, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        # torchvision's v1.5 placement: the stride on the grouped 3x3
        self.conv2 = nn.Conv2d(width, width, 3, stride, 1, groups=groups, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, cout, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Identity()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        h = F.relu(self.bn1(self.conv1(x)))
        h = F.relu(self.bn2(self.conv2(h)))
        return F.relu(self.bn3(self.conv3(h)) + self.shortcut(x))


def resnext29(s):
    layers = [nn.Conv2d(s["input"][2], s["stem"], 3, 1, 1, bias=False), nn.BatchNorm2d(s["stem"]), nn.ReLU()]
    channels = s["stem"]
    for stage, (width, out) in enumerate(zip(s["widths"], s["outs"])):
        for block in range(s["blocksPerStage"]):
            layers.append(ResNeXtBottleneck(channels, width, out, s["groups"], 2 if stage > 0 and block == 0 else 1))
            channels = out
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(channels, s["classes"])]
    return nn.Sequential(*layers)


SETUPS = {
    "conv3x3-fwd": conv_fwd,
    "conv3x3-fwd-bwd": conv_fwd_bwd,
    "depthwise3x3-fwd-bwd": depthwise_fwd_bwd,
    "lenet5-train-step": train_step(lenet5),
    "resnet20-train-step": train_step(resnet20),
    "mobilenet-v2-cifar-train-step": train_step(mobilenet_v2_cifar),
    "resnext29-cifar-train-step": train_step(resnext29),
    "darts-v2-cifar-train-step": train_step(darts_v2),
    "darts-search-step-first-order": search_step,
    "darts-search-step-second-order": search_step,
}


def main():
    threads = int(sys.argv[1])
    budget = float(sys.argv[2]) if len(sys.argv) > 2 else 4000.0
    bf16 = len(sys.argv) > 3 and sys.argv[3] == "bf16"
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    works = json.load(sys.stdin)
    results = []
    for work in works:
        setup = SETUPS.get(work["name"])
        if setup is None or (bf16 and not getattr(setup, "trains", False)):
            continue
        step = setup(work["shape"], bf16) if getattr(setup, "trains", False) else setup(work["shape"])
        try:
            ms, samples = time_step(step, budget)
        except RuntimeError as error:
            # PyTorch 1.13 lacks some bfloat16 CPU kernels (ReLU6's backward): a row that says so.
            results.append({"work": work["name"], "skipped": str(error).splitlines()[0]})
            print(f"  pytorch{' bf16' if bf16 else ''}: {work['name']} skipped: {error}", file=sys.stderr)
            continue
        results.append({"work": work["name"], "ms": ms, "samples": samples})
        print(f"  pytorch{' bf16' if bf16 else ''}: {work['name']} {ms:.1f} ms", file=sys.stderr)
    engine = "pytorch-bf16" if bf16 else "pytorch"
    print(json.dumps({"engine": engine, "version": torch.__version__, "threads": torch.get_num_threads(), "results": results}))


if __name__ == "__main__":
    main()
