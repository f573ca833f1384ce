"""What the architecture packages' fixture scripts count in a PyTorch model, in one place: trainable
parameters, and multiply-accumulates of the convolutions and linear layers for one image (biases
excluded), the convention of torchvision's published GFLOPS. Imported by
packages/arch-*/test/fixtures/*_counts.py, which run with Debian's torch (/usr/bin/python3).
"""
import torch


def conv_linear_macs(model, size, channels=3):
    """Multiply-accumulates of every Conv2d and Linear for one `size`x`size` image, in eval mode."""
    total = 0

    def count(module, _inputs, output):
        nonlocal total
        if isinstance(module, torch.nn.Conv2d):
            kh, kw = module.kernel_size
            total += output.numel() * kh * kw * module.in_channels // module.groups
        elif isinstance(module, torch.nn.Linear):
            total += output.numel() * module.in_features

    hooks = [m.register_forward_hook(count) for m in model.modules() if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear))]
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, channels, size, size))
    for hook in hooks:
        hook.remove()
    return total


def trainable(model):
    """Parameters that require gradients (batch-norm running statistics are buffers, not counted)."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
