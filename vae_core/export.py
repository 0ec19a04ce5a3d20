"""An MLP decoder as plain arrays, so that a web browser can decode codes itself.

The latent pad decodes at display rate in the student's browser: the server sends the decoder's
weights once and every frame is a few matrix products in JavaScript. This module takes the weights
out of the torch decoder (Linear → ReLU → … → Linear, then a sigmoid: `models._mlp_decoder`),
packs them for a JSON payload (float16 where that loses nothing, as in the shipped checkpoints,
else float32) and holds the reference decode in numpy that the browser's code mirrors line by line.
Conv decoders are not exported: transposed convolutions per frame are the server's job.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Any

import numpy as np
from torch import nn

from .models import LatentModel

PAYLOAD_VERSION = 1  # bump when the payload's layout changes: the browser's cache is keyed by it


@dataclass(frozen=True)
class DecoderArrays:
    """An MLP decoder: z (D,) → ReLU(W₁z + b₁) → … → W_L h + b_L → sigmoid → image (C, H, W).

    `weights[i]` is (out, in), as torch stores it; `biases[i]` is (out,); float32 throughout."""

    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    image_shape: tuple[int, int, int]  # (C, H, W)

    @property
    def latent_dim(self) -> int:
        return int(self.weights[0].shape[1])

    @property
    def n_parameters(self) -> int:
        return sum(w.size + b.size for w, b in zip(self.weights, self.biases, strict=True))


def exportable(model: LatentModel) -> bool:
    """True for an MLP decoder, the kind a browser can run at display rate."""
    return model.config.arch == "mlp"


def decoder_arrays(model: LatentModel) -> DecoderArrays:
    """The decoder's layers as float32 numpy arrays; ValueError for anything but an MLP decoder."""
    if not exportable(model):
        raise ValueError(f"only MLP decoders can be exported, not {model.config.arch!r}")
    linears = [layer for layer in model.decoder if isinstance(layer, nn.Linear)]
    others = [layer for layer in model.decoder if not isinstance(layer, (nn.Linear, nn.ReLU, nn.Unflatten))]
    relus = sum(isinstance(layer, nn.ReLU) for layer in model.decoder)
    if others or not linears or relus != len(linears) - 1:  # the layout models._mlp_decoder builds
        raise ValueError("the decoder is not Linear → ReLU → … → Linear")
    weights = tuple(layer.weight.detach().cpu().numpy().astype(np.float32) for layer in linears)
    biases = tuple(layer.bias.detach().cpu().numpy().astype(np.float32) for layer in linears)
    return DecoderArrays(weights, biases, tuple(model.config.image_shape))


def reference_decode(arrays: DecoderArrays, codes: np.ndarray) -> np.ndarray:
    """Codes (N, D) → images (N, C, H, W) in [0, 1], in float32 numpy: what the browser computes."""
    h = np.asarray(codes, dtype=np.float32)  # (N, D)
    last = len(arrays.weights) - 1
    for i, (w, b) in enumerate(zip(arrays.weights, arrays.biases, strict=True)):
        h = h @ w.T + b  # (N, out)
        if i < last:
            h = np.maximum(h, 0.0)
    images = 1.0 / (1.0 + np.exp(-h))  # Bernoulli means, as latent.decode returns
    return images.astype(np.float32).reshape(len(h), *arrays.image_shape)


def _packed(values: np.ndarray) -> dict[str, str]:
    """A float array as base64, in float16 when every value survives the round trip exactly."""
    flat = np.ascontiguousarray(values, dtype=np.float32).ravel()
    half = flat.astype(np.float16)
    if np.array_equal(half.astype(np.float32), flat):
        return {"dtype": "f2", "data": base64.b64encode(half.astype("<f2").tobytes()).decode("ascii")}
    return {"dtype": "f4", "data": base64.b64encode(flat.astype("<f4").tobytes()).decode("ascii")}


def decoder_payload(arrays: DecoderArrays) -> dict[str, Any]:
    """The decoder for a JSON message: shapes, activations and little-endian base64 arrays, with an
    `id` that names its content (the browser keeps decoders by it, so each is sent once)."""
    layers = [
        {"rows": int(w.shape[0]), "cols": int(w.shape[1]), "w": _packed(w), "b": _packed(b)}
        for w, b in zip(arrays.weights, arrays.biases, strict=True)
    ]
    digest = hashlib.sha256(str(PAYLOAD_VERSION).encode())
    for layer in layers:
        digest.update(layer["w"]["data"].encode())
        digest.update(layer["b"]["data"].encode())
    return {
        "id": digest.hexdigest()[:16],
        "version": PAYLOAD_VERSION,
        "latent_dim": arrays.latent_dim,
        "image_shape": list(arrays.image_shape),
        "hidden_activation": "relu",
        "output": "sigmoid",
        "layers": layers,
    }


def payload_bytes(payload: dict[str, Any]) -> int:
    """The base64 text a payload carries: what a browser downloads for it, give or take a few bytes."""
    return sum(len(layer[part]["data"]) for layer in payload["layers"] for part in ("w", "b"))


def arrays_from_payload(payload: dict[str, Any]) -> DecoderArrays:
    """The decoder back from its payload, as the browser reads it: for tests and debugging."""
    weights, biases = [], []
    for layer in payload["layers"]:
        parts = []
        for part in ("w", "b"):
            dtype = {"f2": "<f2", "f4": "<f4"}[layer[part]["dtype"]]
            parts.append(np.frombuffer(base64.b64decode(layer[part]["data"]), dtype=dtype).astype(np.float32))
        weights.append(parts[0].reshape(layer["rows"], layer["cols"]))
        biases.append(parts[1])
    c, h, w = payload["image_shape"]
    return DecoderArrays(tuple(weights), tuple(biases), (int(c), int(h), int(w)))


__all__ = [
    "PAYLOAD_VERSION",
    "DecoderArrays",
    "arrays_from_payload",
    "decoder_arrays",
    "decoder_payload",
    "exportable",
    "payload_bytes",
    "reference_decode",
]
