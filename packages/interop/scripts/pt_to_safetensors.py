#!/usr/bin/env python3
"""Convert a PyTorch checkpoint (.pt/.pth state_dict) to a .safetensors file for `convkit import`.

    python3 pt_to_safetensors.py resnet18.pth resnet18.safetensors [--dtype float16|bfloat16|float32]

Needs only PyTorch (not the `safetensors` package): the format is an 8-byte little-endian header
length, a JSON header of dtype/shape/offsets per tensor, then the raw little-endian bytes. A
checkpoint that wraps its weights (`{"state_dict": ...}`, `{"model": ...}`) is unwrapped, and the
`module.` prefix of DataParallel checkpoints is dropped. Loading uses `weights_only=True` where this
PyTorch offers it, so a hostile pickle cannot run code.
"""
import argparse
import json
import struct
import sys

import torch

DTYPES = {
    torch.float64: "F64",
    torch.float32: "F32",
    torch.float16: "F16",
    torch.bfloat16: "BF16",
    torch.int64: "I64",
    torch.int32: "I32",
    torch.int16: "I16",
    torch.int8: "I8",
    torch.uint8: "U8",
    torch.bool: "BOOL",
}


def save_safetensors(tensors, path, metadata=None):
    """Write a dict of name -> tensor as safetensors, tensors back to back in the given order."""
    header, chunks, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, tensor in tensors.items():
        tensor = tensor.detach().cpu().contiguous()
        if tensor.dtype not in DTYPES:
            sys.exit(f"pt_to_safetensors: tensor {name} has dtype {tensor.dtype}, which safetensors here does not store")
        raw = tensor.reshape(-1).view(torch.uint8).numpy().tobytes() if tensor.numel() else b""
        header[name] = {"dtype": DTYPES[tensor.dtype], "shape": list(tensor.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(text)))
        out.write(text)
        for chunk in chunks:
            out.write(chunk)


def load_state_dict(path):
    try:
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    except TypeError:  # PyTorch before 1.13 has no weights_only
        checkpoint = torch.load(path, map_location="cpu")
    for key in ("state_dict", "model", "model_state_dict"):
        if isinstance(checkpoint, dict) and isinstance(checkpoint.get(key), dict):
            checkpoint = checkpoint[key]
    if not isinstance(checkpoint, dict):
        sys.exit(f"pt_to_safetensors: {path} holds a {type(checkpoint).__name__}, not a state_dict; save model.state_dict()")
    return {k[len("module."):] if k.startswith("module.") else k: v for k, v in checkpoint.items() if torch.is_tensor(v)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkpoint")
    parser.add_argument("out")
    parser.add_argument("--dtype", choices=["float32", "float16", "bfloat16"], help="store floating-point tensors as this type")
    args = parser.parse_args()
    tensors = load_state_dict(args.checkpoint)
    if args.dtype:
        target = getattr(torch, args.dtype)
        tensors = {k: v.to(target) if v.is_floating_point() else v for k, v in tensors.items()}
    save_safetensors(tensors, args.out, {"format": "pt"})
    print(f"wrote {len(tensors)} tensors to {args.out}")


if __name__ == "__main__":
    main()
