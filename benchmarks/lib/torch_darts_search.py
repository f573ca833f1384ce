"""One bi-level DARTS search step on PyTorch, for the `darts-search-step-*` works: the search network
of the reference (quark0/darts cnn/model_search.py, its Network) and its search step (cnn/architect.py
and train_search.py) written out. The network: stem 3x3 convolution to 3C and batch norm, cells of 4
nodes whose 14 edges are mixed ops over the 8 primitives weighted by softmax(alpha) (batch norms
without affine, pools followed by one), reductions at 1/3 and 2/3 depth, global average pool and a
linear classifier; the alphas are plain tensors beside the module's parameters, one 14x8 matrix per
cell type. The step: the alphas by Adam (lr 3e-4, betas (0.5, 0.999), L2 1e-3) on the validation
batch, first order (the validation loss's gradient at the current weights) or second order (at the
virtual step w' = w - xi (momentum + dL_train/dw + L2), minus xi times the finite-difference
Hessian-vector product at w +- eps dL_val/dw', eps = 0.01 / ||dL_val/dw'||), then the weights by SGD
(lr 0.025, momentum 0.9, L2 3e-4) on the training batch with the gradient clipped to norm 5.

The reference builds a fresh clone network for w' in every second-order step; this port evaluates w'
in place (copying the values into the weights and back), as convkit's `withValues` does, so the
bench times the step's arithmetic, not a network's construction."""

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch_darts import FactorizedReduce, primitive, relu_conv_bn

PRIMITIVES = ["none", "max_pool_3x3", "avg_pool_3x3", "skip_connect",
              "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5"]
STEPS = 4
EDGES = sum(2 + i for i in range(STEPS))


class Zero(nn.Module):
    """The `none` primitive: zeros of the output's shape (the reference multiplies its input by 0)."""

    def __init__(self, stride):
        super().__init__()
        self.stride = stride

    def forward(self, x):
        return x[:, :, ::self.stride, ::self.stride].mul(0.0)


def search_primitive(name, c, stride):
    if name == "none":
        return Zero(stride)
    op = primitive(name, c, stride, affine=False)
    return nn.Sequential(op, nn.BatchNorm2d(c, affine=False)) if "pool" in name else op


class MixedOp(nn.Module):
    def __init__(self, c, stride):
        super().__init__()
        self.ops = nn.ModuleList(search_primitive(name, c, stride) for name in PRIMITIVES)

    def forward(self, x, weights):
        return sum(w * op(x) for w, op in zip(weights, self.ops))


class SearchCell(nn.Module):
    def __init__(self, c_pp, c_p, c, reduction, reduction_prev):
        super().__init__()
        self.pre0 = FactorizedReduce(c_pp, c, affine=False) if reduction_prev else relu_conv_bn(c_pp, c, affine=False)
        self.pre1 = relu_conv_bn(c_p, c, affine=False)
        self.edges = nn.ModuleList(MixedOp(c, 2 if reduction and j < 2 else 1) for i in range(STEPS) for j in range(2 + i))

    def forward(self, s0, s1, weights):
        states = [self.pre0(s0), self.pre1(s1)]
        offset = 0
        for _ in range(STEPS):
            states.append(sum(self.edges[offset + j](h, weights[offset + j]) for j, h in enumerate(states)))
            offset += len(states) - 1
        return torch.cat(states[-STEPS:], dim=1)


class SearchNetwork(nn.Module):
    """At C=16, 8 cells and 10 classes: 1,930,618 weights (alphas not counted), the count of
    packages/nas/test/fixtures/darts_param_counts.json and of convkit's SearchNetwork.countWeights();
    `search_step` checks it."""

    def __init__(self, c, layers, classes):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 3 * c, 3, padding=1, bias=False), nn.BatchNorm2d(3 * c))
        c_pp, c_p, c_curr = 3 * c, 3 * c, c
        cells, self.reductions, reduction_prev = [], [], False
        for i in range(layers):
            reduction = i in (layers // 3, 2 * layers // 3)
            if reduction:
                c_curr *= 2
            cells.append(SearchCell(c_pp, c_p, c_curr, reduction, reduction_prev))
            self.reductions.append(reduction)
            reduction_prev = reduction
            c_pp, c_p = c_p, STEPS * c_curr
        self.cells = nn.ModuleList(cells)
        self.classifier = nn.Linear(c_p, classes)
        # plain tensors, not parameters: model.parameters() is the weight group alone
        self.alphas = [(1e-3 * torch.randn(EDGES, len(PRIMITIVES))).requires_grad_() for _ in range(2)]

    def forward(self, x):
        normal, reduce = (F.softmax(a, dim=-1) for a in self.alphas)
        s0 = s1 = self.stem(x)
        for cell, reduction in zip(self.cells, self.reductions):
            s0, s1 = s1, cell(s0, s1, reduce if reduction else normal)
        return self.classifier(torch.flatten(F.adaptive_avg_pool2d(s1, 1), 1))

    def loss(self, batch):
        images, labels = batch
        return F.cross_entropy(self(images), labels)


class BilevelStep:
    """The reference's Architect (alphas) and its training loop's weight update, one call per step."""

    def __init__(self, model, order, lr=0.025, momentum=0.9, weight_decay=3e-4, clip=5.0):
        self.model, self.order = model, order
        self.lr, self.momentum, self.weight_decay, self.clip = lr, momentum, weight_decay, clip
        self.weights = list(model.parameters())
        self.weight_optimizer = torch.optim.SGD(self.weights, lr=lr, momentum=momentum, weight_decay=weight_decay)
        self.alpha_optimizer = torch.optim.Adam(model.alphas, lr=3e-4, betas=(0.5, 0.999), weight_decay=1e-3)

    def step(self, train, validation):
        self.alpha_optimizer.zero_grad()
        if self.order == 1:
            self.model.loss(validation).backward(inputs=self.model.alphas)
        else:
            self.unrolled_alpha_gradients(train, validation)
        self.alpha_optimizer.step()
        self.weight_optimizer.zero_grad()
        self.model.loss(train).backward()
        nn.utils.clip_grad_norm_(self.weights, self.clip)
        self.weight_optimizer.step()

    def virtual_weights(self, train):
        gradients = torch.autograd.grad(self.model.loss(train), self.weights)
        unrolled = []
        for w, g in zip(self.weights, gradients):
            direction = g + self.weight_decay * w.detach()
            buffer = self.weight_optimizer.state.get(w, {}).get("momentum_buffer")
            if buffer is not None:
                direction = direction + self.momentum * buffer
            unrolled.append(w.detach() - self.lr * direction)
        return unrolled

    def unrolled_alpha_gradients(self, train, validation):
        alphas = self.model.alphas
        saved = [w.detach().clone() for w in self.weights]
        unrolled = self.virtual_weights(train)
        with torch.no_grad():
            for w, u in zip(self.weights, unrolled):
                w.copy_(u)
        gradients = torch.autograd.grad(self.model.loss(validation), alphas + self.weights)
        alpha_gradients, vector = gradients[:len(alphas)], gradients[len(alphas):]
        with torch.no_grad():
            for w, s in zip(self.weights, saved):
                w.copy_(s)
        implicit = self.hessian_vector_product(vector, train)
        for a, g, h in zip(alphas, alpha_gradients, implicit):
            a.grad = g - self.lr * h

    def hessian_vector_product(self, vector, train, r=0.01):
        eps = r / torch.cat([v.flatten() for v in vector]).norm()

        def alpha_gradients_after_moving(steps):
            with torch.no_grad():
                for w, v in zip(self.weights, vector):
                    w.add_(steps * eps * v)
            return torch.autograd.grad(self.model.loss(train), self.model.alphas)

        plus = alpha_gradients_after_moving(1)  # at w + eps v
        minus = alpha_gradients_after_moving(-2)  # at w - eps v
        with torch.no_grad():
            for w, v in zip(self.weights, vector):
                w.add_(eps * v)
        return [(p - m) / (2 * eps) for p, m in zip(plus, minus)]


def search_step(s):
    model = SearchNetwork(s["channels"], s["layers"], s["classes"])
    model.train()
    weights = sum(p.numel() for p in model.parameters())
    if weights != s["weights"]:
        raise RuntimeError(f"the PyTorch search network has {weights} weights, convkit's {s['weights']}")
    bilevel = BilevelStep(model, s["order"])
    h, w, c = s["input"]

    def batch():
        return torch.randn(s["batch"], c, h, w), torch.randint(0, s["classes"], (s["batch"],))

    train, validation = batch(), batch()
    return lambda: bilevel.step(train, validation)
