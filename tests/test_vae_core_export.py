"""The MLP decoder as plain arrays (vae_core.export): the numpy decode the browser mirrors equals the
torch decoder, the JSON payload carries the weights without loss, and conv decoders are refused."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from tests.conftest import ROOT
from vae_core import decode, load_checkpoint
from vae_core.export import (
    arrays_from_payload,
    decoder_arrays,
    decoder_payload,
    exportable,
    payload_bytes,
    reference_decode,
)


def codes(n: int, dim: int, *, scale: float = 3.0, seed: int = 0) -> np.ndarray:
    return (np.random.default_rng(seed).standard_normal((n, dim)) * scale).astype(np.float32)


@pytest.mark.parametrize("kind", ["ae", "vae"])
@pytest.mark.parametrize("latent_dim", [1, 2, 5])
def test_reference_decode_equals_the_torch_decoder(make_model, kind: str, latent_dim: int) -> None:
    model = make_model(kind, latent_dim=latent_dim)
    z = codes(64, latent_dim)
    ours = reference_decode(decoder_arrays(model), z)
    assert ours.shape == (64, 1, 8, 8) and ours.dtype == np.float32
    np.testing.assert_allclose(ours, decode(model, z), atol=1e-6, rtol=0)


def test_arrays_are_the_decoder_layers_in_order(make_model) -> None:
    model = make_model("vae", latent_dim=3)
    arrays = decoder_arrays(model)
    assert [w.shape for w in arrays.weights] == [(16, 3), (32, 16), (64, 32)]  # 3 → 16 → 32 → 8·8
    assert arrays.latent_dim == 3 and arrays.image_shape == (1, 8, 8)
    assert arrays.n_parameters == sum(p.numel() for p in model.decoder.parameters())


def test_payload_round_trip_is_exact_and_json(make_model) -> None:
    model = make_model("ae", latent_dim=2)
    arrays = decoder_arrays(model)
    payload = json.loads(json.dumps(decoder_payload(arrays)))  # what crosses the wire
    back = arrays_from_payload(payload)
    for a, b in zip(arrays.weights + arrays.biases, back.weights + back.biases, strict=True):
        np.testing.assert_array_equal(a, b)
    assert payload["layers"][0]["w"]["dtype"] == "f4"  # a fresh float32 model: nothing to save losslessly
    assert payload_bytes(payload) == pytest.approx(4 / 3 * 4 * arrays.n_parameters, rel=0.01)


def test_float16_weights_travel_as_float16_without_loss(make_model) -> None:
    model = make_model("vae", latent_dim=2)
    with torch.no_grad():  # as the shipped checkpoints store them
        for p in model.parameters():
            p.copy_(p.half().float())
    payload = decoder_payload(decoder_arrays(model))
    assert {layer[part]["dtype"] for layer in payload["layers"] for part in ("w", "b")} == {"f2"}
    z = codes(32, 2)
    np.testing.assert_allclose(reference_decode(arrays_from_payload(payload), z), decode(model, z), atol=1e-6, rtol=0)


def test_payload_id_names_the_content(make_model) -> None:
    a = decoder_payload(decoder_arrays(make_model("vae", seed=0)))
    b = decoder_payload(decoder_arrays(make_model("vae", seed=1)))
    again = decoder_payload(decoder_arrays(make_model("vae", seed=0)))
    assert a["id"] == again["id"] != b["id"]


def test_conv_decoders_are_not_exported(make_model) -> None:
    model = make_model("vae", arch="conv", image_shape=(1, 8, 8))
    assert not exportable(model)
    with pytest.raises(ValueError, match="MLP"):
        decoder_arrays(model)


@pytest.mark.parametrize("name", ["mnist-ae-mlp-2d.pt", "mnist-vae-mlp-2d.pt"])
def test_shipped_2d_decoders_export_within_a_grey_level(name: str) -> None:
    """The shipped decoders, sent as the pad sends them: the browser's decode stays within 1/255."""
    path = ROOT / "checkpoints" / name
    if not path.exists():
        pytest.skip(f"{name} is not shipped")
    model, _ = load_checkpoint(path)
    payload = decoder_payload(decoder_arrays(model))
    z = codes(200, 2, scale=6.0)
    error = np.abs(reference_decode(arrays_from_payload(payload), z) - decode(model, z)).max()
    assert error < 1e-5  # far inside the 1/255 the pad promises
    assert payload_bytes(payload) < 700_000  # float16 (lossless here): about 0.6 MB per model
