"""The DARTS evaluation network (the reference's NetworkCIFAR, quark0/darts cnn/model.py) written out
for the PyTorch side of the `darts-v2-cifar-train-step` work: stem 3x3 convolution to 3C and batch
norm, cells of a genotype (reductions at 1/3 and 2/3 depth, factorized reduce after a reduction),
global average pool and a linear classifier; no auxiliary head and no drop path, as the tfjs side
builds `darts` by default. Same primitives as the paper: separable convolutions applied twice,
ReLU-conv-BN order, pools without batch norm in the evaluation network."""

import torch
import torch.nn as nn

DARTS_V2 = {
    "normal": [("sep_conv_3x3", 0), ("sep_conv_3x3", 1), ("sep_conv_3x3", 0), ("sep_conv_3x3", 1),
               ("sep_conv_3x3", 1), ("skip_connect", 0), ("skip_connect", 0), ("dil_conv_3x3", 2)],
    "reduce": [("max_pool_3x3", 0), ("max_pool_3x3", 1), ("skip_connect", 2), ("max_pool_3x3", 1),
               ("max_pool_3x3", 0), ("skip_connect", 2), ("skip_connect", 2), ("max_pool_3x3", 1)],
}


# `affine=False` is the search network's form (lib/torch_darts_search.py): batch norms without scale and shift.
def relu_conv_bn(c_in, c_out, affine=True):
    return nn.Sequential(nn.ReLU(), nn.Conv2d(c_in, c_out, 1, bias=False), nn.BatchNorm2d(c_out, affine=affine))


def depthwise_separable(c, k, stride, pad, dilation, affine):
    return [nn.ReLU(), nn.Conv2d(c, c, k, stride, pad, dilation=dilation, groups=c, bias=False),
            nn.Conv2d(c, c, 1, bias=False), nn.BatchNorm2d(c, affine=affine)]


class FactorizedReduce(nn.Module):
    def __init__(self, c_in, c_out, affine=True):
        super().__init__()
        self.a = nn.Conv2d(c_in, c_out // 2, 1, stride=2, bias=False)
        self.b = nn.Conv2d(c_in, c_out // 2, 1, stride=2, bias=False)
        self.bn = nn.BatchNorm2d(c_out, affine=affine)

    def forward(self, x):
        x = torch.relu(x)
        return self.bn(torch.cat([self.a(x), self.b(x[:, :, 1:, 1:])], dim=1))


def primitive(name, c, stride, affine=True):
    if name == "max_pool_3x3":
        return nn.MaxPool2d(3, stride, 1)
    if name == "avg_pool_3x3":
        return nn.AvgPool2d(3, stride, 1, count_include_pad=False)
    if name == "skip_connect":
        return nn.Identity() if stride == 1 else FactorizedReduce(c, c, affine)
    k = int(name[-1])
    if name.startswith("sep_conv"):
        return nn.Sequential(*depthwise_separable(c, k, stride, k // 2, 1, affine),
                             *depthwise_separable(c, k, 1, k // 2, 1, affine))
    return nn.Sequential(*depthwise_separable(c, k, stride, k - 1, 2, affine))


class Cell(nn.Module):
    def __init__(self, genes, c_pp, c_p, c, reduction, reduction_prev):
        super().__init__()
        self.pre0 = FactorizedReduce(c_pp, c) if reduction_prev else relu_conv_bn(c_pp, c)
        self.pre1 = relu_conv_bn(c_p, c)
        self.inputs = [index for _, index in genes]
        self.ops = nn.ModuleList(primitive(name, c, 2 if reduction and index < 2 else 1) for name, index in genes)

    def forward(self, s0, s1):
        states = [self.pre0(s0), self.pre1(s1)]
        for i in range(len(self.ops) // 2):
            a, b = 2 * i, 2 * i + 1
            states.append(self.ops[a](states[self.inputs[a]]) + self.ops[b](states[self.inputs[b]]))
        return torch.cat(states[2:], dim=1)


class Network(nn.Module):
    def __init__(self, c, layers, classes, genotype=DARTS_V2):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 3 * c, 3, padding=1, bias=False), nn.BatchNorm2d(3 * c))
        c_pp, c_p, c_curr = 3 * c, 3 * c, c
        cells, reduction_prev = [], False
        for i in range(layers):
            reduction = i in (layers // 3, 2 * layers // 3)
            if reduction:
                c_curr *= 2
            genes = genotype["reduce" if reduction else "normal"]
            cells.append(Cell(genes, c_pp, c_p, c_curr, reduction, reduction_prev))
            reduction_prev = reduction
            c_pp, c_p = c_p, 4 * c_curr
        self.cells = nn.ModuleList(cells)
        self.classifier = nn.Linear(c_p, classes)

    def forward(self, x):
        s0 = s1 = self.stem(x)
        for cell in self.cells:
            s0, s1 = s1, cell(s0, s1)
        return self.classifier(torch.flatten(nn.functional.adaptive_avg_pool2d(s1, 1), 1))


def darts_v2(s):
    return Network(s["channels"], s["layers"], s["classes"])
