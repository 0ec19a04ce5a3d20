"""The latent pad: a latent plane under the pointer (or a finger), with the decoded image beside it.

Each model gets one pad (`latent_pad`). Pads mounted with the same `group` share the pointer: moving
over either moves the code z of both, so the AE's and the VAE's pictures follow together.

Where the decoder is an MLP, decoding runs in the browser: the decoder's weights are sent once per
tab (`vae_core.export`, about 0.6 MB for an MNIST decoder; float16, losslessly, as the shipped
checkpoints hold them) and every frame is a few matrix products in JavaScript, at display rate,
with no rerun and no work for the server. The browser keeps the weights by content id and says so
(trigger "held"), so later reruns leave them out of the page; were its copy gone, it asks again
(trigger "missing"). A conv decoder decodes on the server: the pad sends the pointer's position at
most `SERVER_EVERY_MS` apart (and on release), and the page passes the picture back in.

Events reach Python through triggers, each with a callback (run before the page's script, so a page
can move its sliders in one): "pin" (a click or a tap that did not drag), "code" (where the pointer
was let go, or the throttled position for a server-side decoder).

For tests and benches, each pad's root element (`div.latent-pad`) carries `data-kind`, `data-mode`
("browser" or "server"), `data-ready`, `data-frames` (images drawn so far), `data-code` (the code of
the last image, as float32 JSON), `data-latency` (ms from the pointer event to the drawn image) and,
as the property `latentPadImage`, the last decoded image (Float32Array, C·H·W values in [0, 1]);
`data-decoder` names its decoder in `globalThis.__latentPad.cache`, and
`globalThis.__latentPad.decode(id, code)` decodes any code. That JavaScript, and the pad's HTML and
CSS, live in ui/components/latent_pad/.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import streamlit as st

from vae_core.export import decoder_arrays, decoder_payload, exportable, payload_bytes

from .cached_models import MODEL_HASH, LoadedModel
from .components import asset
from .compute import PLANE_READING_SIDE, ValidationSet, encodings
from .figures import CLASS_COLORS, MODEL_COLORS
from .texts import class_label, kind_label, language, t

SERVER_EVERY_MS = 200  # a conv decoder on the server: at most 5 positions a second
HELD_KEY = "_latent_pad_held"  # decoder ids this tab's browser holds (a plain entry: never dropped)
MAX_CODE = 1000.0  # bigger codes from the browser are clipped: no decoder was trained anywhere near
Code = tuple[float, float]

# One module for every pad of the page (ui/components/latent_pad/). State that must outlive a rerun
# (the decoders, the shared pointer of each group) lives on globalThis.__latentPad; each pad's DOM
# lives in its own root.
_component = st.components.v2.component(
    "latent_lab_latent_pad",
    html=asset("latent_pad", "pad.html"),
    css=asset("latent_pad", "pad.css"),
    js=asset("latent_pad", "pad.js"),
)


@st.cache_data(show_spinner=False, max_entries=32, hash_funcs=MODEL_HASH)
def browser_decoder(model: LoadedModel) -> dict[str, Any] | None:
    """The decoder as the browser takes it (None for a conv decoder): made once per model file."""
    if not exportable(model.model):
        return None
    return decoder_payload(decoder_arrays(model.model))


def decoder_kilobytes(model: LoadedModel) -> int:
    """What the browser downloads, once, to decode this model itself (0 for a conv decoder)."""
    payload = browser_decoder(model)
    return 0 if payload is None else round(payload_bytes(payload) / 1000)


@st.cache_data(show_spinner=False, max_entries=64, hash_funcs=MODEL_HASH)
def _points(model: LoadedModel, dims: tuple[int, int]) -> dict[str, list[float]]:
    """The validation codes on two dimensions, rounded for the page (a pixel is about 1/100 of the plane)."""
    mu = encodings(model).mu
    return {"x": np.round(mu[:, dims[0]], 3).tolist(), "y": np.round(mu[:, dims[1]], 3).tolist()}


def square_extent(ranges: np.ndarray) -> tuple[float, float, float, float]:
    """(x0, x1, y0, y1) of a square plane holding both ranges (2, 2): one unit is as long on both axes."""
    centers, half = ranges.mean(axis=1), float(np.max(ranges[:, 1] - ranges[:, 0])) / 2
    return (centers[0] - half, centers[0] + half, centers[1] - half, centers[1] + half)


def valid_code(value: object) -> Code | None:
    """Two finite numbers from the browser, clipped to ±MAX_CODE; None for anything else."""
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        return None
    try:
        x, y = (float(v) for v in value)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(x) and math.isfinite(y)):
        return None
    return (min(max(x, -MAX_CODE), MAX_CODE), min(max(y, -MAX_CODE), MAX_CODE))


def _event(key: str, name: str) -> object:
    try:
        return st.session_state[key][name]
    except (KeyError, TypeError):
        return None


def _held() -> set[str]:
    return st.session_state.setdefault(HELD_KEY, set())


@dataclass(frozen=True)
class PadView:
    """What one pad shows besides the model: the plane's dimensions and extent, the code of the dims
    not on the plane, and the marks."""

    dims: tuple[int, int]
    extent: tuple[float, float, float, float]
    base: np.ndarray  # (D,): the code the pointer's two coordinates are written into
    code: Code  # the code shown until the pointer moves
    pinned: Code | None = None
    base_mark: Code | None = None  # the chosen image's own code on the plane, if any


def latent_pad(
    model: LoadedModel,
    view: PadView,
    validation: ValidationSet,
    *,
    key: str,
    group: str,
    caption: str,
    where: str,
    served_image: str | None = None,
    served_code: Code | None = None,
    on_pin: Callable[[Code], None] | None = None,
    on_code: Callable[[Code], None] | None = None,
    on_release: bool = False,
    return_on_leave: bool = False,
    readings: list[int] | None = None,
) -> None:
    """Mount one model's pad. `caption` is the image's caption with {x} and {y} for the code; `where`
    says where decoding happens. A conv decoder shows `served_image` (the page's decode at
    `served_code`) and sends the pointer's code to `on_code` at most 5 times a second. `on_release`:
    send the code where the pointer is let go (to `on_code`); `return_on_leave`: the pointer only
    previews, and the pad shows `view.code` again when it leaves. `readings`: the evaluator's digit
    at each cell of the plane (`compute.plane_readings`), said with the code to a screen reader."""
    payload = browser_decoder(model)
    mode = "browser" if payload is not None else "server"
    held = _held()
    if payload is not None and view.base.shape != (payload["latent_dim"],):
        raise ValueError(f"base code of shape {view.base.shape} for a {payload['latent_dim']}-D decoder")
    data: dict[str, Any] = {
        "group": group,
        "kind": model.kind,
        "color": MODEL_COLORS.get(model.kind, "#111111"),
        "mode": mode,
        "comma": language() == "pt",
        "extent": [float(v) for v in view.extent],
        "dims": list(view.dims),
        "base": [float(v) for v in view.base],
        "code": [float(v) for v in view.code],
        "pinned": list(view.pinned) if view.pinned is not None else None,
        "base_mark": list(view.base_mark) if view.base_mark is not None else None,
        "points": {**_points(model, view.dims), "label": validation.labels.tolist()},
        "points_id": f"{model.key}:{view.dims}",
        "classes": [
            {"name": class_label(name), "color": CLASS_COLORS[i % len(CLASS_COLORS)]}
            for i, name in enumerate(validation.class_names)
        ],
        "image_shape": list(model.info.config.image_shape),
        "decoder_id": payload["id"] if payload is not None else None,
        "decoder": payload if payload is not None and payload["id"] not in held else None,
        "image": served_image,
        "image_code": list(served_code) if served_code is not None else None,
        "server_every_ms": SERVER_EVERY_MS if mode == "server" and on_code is not None else None,
        "on_release": on_release and on_code is not None,
        "return_on_leave": return_on_leave,
        "pin": on_pin is not None,
        "readings": readings,
        "reading_side": PLANE_READING_SIDE,
        "texts": {
            "x": f"z{view.dims[0] + 1}",
            "y": f"z{view.dims[1] + 1}",
            "legend": t("plot.class"),
            "plane": t("latent_pad.plane_label"),
            "caption": caption,
            "spoken": t("latent_pad.spoken", model=kind_label(model.kind), x="{x}", y="{y}"),
            "looks": t("latent_pad.looks_like", digit="{digit}"),
            "unclear": t("latent_pad.looks_unclear"),
            "where": where,
        },
    }

    def held_now() -> None:
        value = _event(key, "held")
        if isinstance(value, str):
            _held().add(value)

    def missing_now() -> None:
        value = _event(key, "missing")
        if isinstance(value, str):
            _held().discard(value)

    def call(name: str, handler: Callable[[Code], None] | None) -> Callable[[], None]:
        def run() -> None:
            code = valid_code(_event(key, name))
            if code is not None and handler is not None:
                handler(code)

        return run

    _component(
        key=key,
        data=data,
        on_held_change=held_now,
        on_missing_change=missing_now,
        on_pin_change=call("pin", on_pin),
        on_code_change=call("code", on_code),
    )
