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
`globalThis.__latentPad.decode(id, code)` decodes any code.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import streamlit as st

from vae_core.export import decoder_arrays, decoder_payload, exportable, payload_bytes

from .catalog import MODEL_HASH, LoadedModel
from .compute import ValidationSet, encodings
from .figures import CLASS_COLORS, MODEL_COLORS
from .texts import class_label, language, t

SERVER_EVERY_MS = 200  # a conv decoder on the server: at most 5 positions a second
HELD_KEY = "_latent_pad_held"  # decoder ids this tab's browser holds (a plain entry: never dropped)
MAX_CODE = 1000.0  # bigger codes from the browser are clipped: no decoder was trained anywhere near
Code = tuple[float, float]

_CSS = """
:host { display: block; }
[hidden] { display: none !important; }
.latent-pad { display: flex; flex-wrap: wrap; gap: 12px 16px; align-items: flex-start; font-size: 17px; color: #111; }
.pad-box { flex: 3 1 200px; max-width: 440px; min-width: 0; }
.pad-row { display: flex; align-items: stretch; gap: 6px; }
.y-axis { display: flex; flex-direction: column; justify-content: space-between; align-items: flex-end;
  font-size: 16px; min-width: 2.2em; }
.y-axis .name { font-style: italic; }
.plane { position: relative; flex: 1 1 auto; aspect-ratio: 1 / 1; touch-action: none; cursor: crosshair;
  border: 2px solid #555; border-radius: 4px; background: #fff; user-select: none; -webkit-user-select: none; }
.plane canvas { position: absolute; inset: 0; width: 100%; height: 100%; display: block; }
.x-axis { display: flex; justify-content: space-between; font-size: 16px; margin-left: calc(2.2em + 6px); }
.x-axis .name { font-style: italic; }
.image-box { flex: 2 1 130px; max-width: 280px; min-width: 110px; }
.image-box canvas, .image-box img { width: 100%; height: auto; display: block; image-rendering: pixelated;
  background: #000; border-radius: 4px; }
.caption { font-size: 16px; color: #333; margin-top: 6px; line-height: 1.3; }
.where { font-size: 16px; color: #333; margin-top: 4px; }
.legend { display: flex; flex-wrap: wrap; gap: 2px 12px; font-size: 16px; margin-top: 8px; }
.legend span { white-space: nowrap; }
.legend i { display: inline-block; width: 0.75em; height: 0.75em; border-radius: 50%; margin-right: 4px;
  vertical-align: -0.05em; }
.legend .title { font-weight: 600; }
@media (max-width: 640px) {  /* a phone: the plane the whole width, the picture above it, clear of the hand */
  .pad-box { flex: 1 1 100%; max-width: none; }
  .image-box { order: -1; flex: 1 1 100%; max-width: none; display: flex; gap: 12px; align-items: flex-end; }
  .image-box canvas, .image-box img { width: 46%; flex: none; }
}
"""

_HTML = """
<div class="latent-pad" data-ready="0" data-frames="0">
  <div class="pad-box">
    <div class="pad-row">
      <div class="y-axis"><span class="y-max"></span><span class="name y-name"></span><span class="y-min"></span></div>
      <div class="plane"><canvas class="points"></canvas><canvas class="marks"></canvas></div>
    </div>
    <div class="x-axis"><span class="x-min"></span><span class="name x-name"></span><span class="x-max"></span></div>
    <div class="legend"></div>
  </div>
  <div class="image-box">
    <canvas class="decoded"></canvas>
    <img class="served" alt="" hidden>
    <div class="texts"><div class="caption"></div><div class="where"></div></div>
  </div>
</div>
"""

# One module for every pad of the page. State that must outlive a rerun (the decoders, the shared
# pointer of each group) lives on globalThis.__latentPad; each pad's DOM lives in its own root.
_JS = r"""
const G = (globalThis.__latentPad ||= { cache: new Map(), groups: new Map(), pads: new WeakMap(), half: null });
const CACHE_MAX = 8;

function halfTable() {  // float16 bits → float32, all 65536 of them, made once
  if (G.half) return G.half;
  const table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, f = h & 0x3ff;
    table[h] = e === 0 ? sign * 2 ** -14 * (f / 1024)
      : e === 31 ? (f ? NaN : sign * Infinity) : sign * 2 ** (e - 15) * (1 + f / 1024);
  }
  return (G.half = table);
}

function unpack(part) {  // base64, little-endian float16 ("f2") or float32 ("f4") → Float32Array
  const text = atob(part.data), bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  const view = new DataView(bytes.buffer);
  if (part.dtype === "f4") {
    const out = new Float32Array(bytes.length / 4);
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
    return out;
  }
  const table = halfTable(), out = new Float32Array(bytes.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = table[view.getUint16(2 * i, true)];
  return out;
}

function loadDecoder(payload) {
  const layers = payload.layers.map((l) => ({
    rows: l.rows, cols: l.cols, w: unpack(l.w), b: unpack(l.b), out: new Float32Array(l.rows),
  }));
  const dec = { id: payload.id, dim: payload.latent_dim, shape: payload.image_shape, layers,
    z: new Float32Array(payload.latent_dim) };
  G.cache.delete(dec.id);
  G.cache.set(dec.id, dec);
  while (G.cache.size > CACHE_MAX) G.cache.delete(G.cache.keys().next().value);
  return dec;
}

// z (float32, as torch takes it) → ReLU(W h + b) … → W h + b → sigmoid, in place: the numpy
// reference is vae_core.export.reference_decode.
function decode(dec, code) {
  let h = dec.z;
  for (let i = 0; i < h.length; i++) h[i] = code[i];
  const last = dec.layers.length - 1;
  dec.layers.forEach((l, k) => {
    const { rows, cols, w, b, out } = l;
    for (let r = 0; r < rows; r++) {
      let s = b[r];
      const off = r * cols;
      for (let c = 0; c < cols; c++) s += w[off + c] * h[c];
      out[r] = k < last && s < 0 ? 0 : s;
    }
    h = out;
  });
  for (let i = 0; i < h.length; i++) h[i] = 1 / (1 + Math.exp(-h[i]));
  return h;
}
G.decode = (id, code) => { const d = G.cache.get(id); return d ? Float32Array.from(decode(d, code)) : null; };

function group(name) {
  let g = G.groups.get(name);
  if (!g) G.groups.set(name, (g = { z: null, t: 0, pending: false, pads: new Set(), hovering: false }));
  return g;
}

function schedule(g) {
  if (g.pending) return;
  g.pending = true;
  requestAnimationFrame(() => {
    g.pending = false;
    for (const pad of g.pads) pad.draw(g.z);
    if (g.t) {
      const ms = (performance.now() - g.t).toFixed(1);
      for (const pad of g.pads) pad.root.dataset.latency = ms;
      g.t = 0;
    }
  });
}

function fmt(value, comma) {
  const text = (Math.abs(value) < 0.005 ? 0 : value).toFixed(2);
  return comma ? text.replace(".", ",") : text;
}

function tick(value, comma) {  // an axis end: whole numbers from 10 on, else one decimal
  const text = (Math.abs(value) >= 10 ? value.toFixed(0) : value.toFixed(1));
  return comma ? text.replace(".", ",") : text;
}

class Pad {
  constructor(parent) {
    G.created = (G.created || 0) + 1;  // pads made so far in this tab (a debugging aid)
    this.parent = parent;
    this.root = parent.querySelector(".latent-pad");
    this.plane = this.root.querySelector(".plane");
    this.pointsCanvas = this.root.querySelector("canvas.points");
    this.marksCanvas = this.root.querySelector("canvas.marks");
    this.decoded = this.root.querySelector("canvas.decoded");
    this.served = this.root.querySelector("img.served");
    this.caption = this.root.querySelector(".caption");
    this.where = this.root.querySelector(".where");
    this.frames = 0;
    this.down = null;
    this.lastSent = 0;
    this.sendTimer = null;
    this.data = null;
    this.pointsKey = "";
    this.listeners = [
      ["pointerdown", (e) => this.onDown(e)], ["pointermove", (e) => this.onMove(e)],
      ["pointerup", (e) => this.onUp(e)], ["pointercancel", () => { this.down = null; }],
      ["pointerleave", (e) => this.onLeave(e)],
    ];
    for (const [name, fn] of this.listeners) this.plane.addEventListener(name, fn);
    this.resize = new ResizeObserver(() => { this.drawPoints(); this.draw(this.group ? this.group.z : null); });
    this.resize.observe(this.plane);
  }

  destroy() {
    for (const [name, fn] of this.listeners) this.plane.removeEventListener(name, fn);
    this.resize.disconnect();
    clearTimeout(this.sendTimer);
    if (this.group) this.group.pads.delete(this);
  }

  update(data, setTrigger) {
    const old = this.data;
    this.data = data;
    this.setTrigger = setTrigger;
    if (!this.group || this.group !== group(data.group)) {
      if (this.group) this.group.pads.delete(this);
      this.group = group(data.group);
      this.group.pads.add(this);
    }
    const r = this.root;
    r.dataset.kind = data.kind;
    r.dataset.mode = data.mode;
    if (data.decoder_id) r.dataset.decoder = data.decoder_id;
    const tx = data.texts;
    r.querySelector(".x-name").textContent = tx.x;
    r.querySelector(".y-name").textContent = tx.y;
    const [x0, x1, y0, y1] = data.extent;
    r.querySelector(".x-min").textContent = tick(x0, data.comma);
    r.querySelector(".x-max").textContent = tick(x1, data.comma);
    r.querySelector(".y-min").textContent = tick(y0, data.comma);
    r.querySelector(".y-max").textContent = tick(y1, data.comma);
    this.plane.setAttribute("aria-label", tx.plane);
    const legend = r.querySelector(".legend");
    legend.replaceChildren();
    const title = document.createElement("span");
    title.className = "title";
    title.textContent = tx.legend;
    legend.append(title);
    for (const c of data.classes) {
      const item = document.createElement("span"), dot = document.createElement("i");
      dot.style.background = c.color;
      item.append(dot, c.name);
      legend.append(item);
    }
    this.where.textContent = tx.where;
    // The decoder: weights arrive once; later reruns name it only.
    if (data.mode === "browser") {
      if (data.decoder) {
        this.dec = loadDecoder(data.decoder);
        setTrigger("held", data.decoder.id);
      } else {
        this.dec = G.cache.get(data.decoder_id) || null;
        if (!this.dec) setTrigger("missing", data.decoder_id);
      }
      this.decoded.width = data.image_shape[2];
      this.decoded.height = data.image_shape[1];
      this.decoded.hidden = false;
      this.served.hidden = true;
      r.dataset.ready = this.dec ? "1" : "0";
    } else {
      this.dec = null;
      this.decoded.hidden = true;
      this.served.hidden = false;
      if (data.image && this.served.src !== data.image) this.served.src = data.image;
      r.dataset.ready = "1";
      if (data.image_code) r.dataset.code = JSON.stringify(data.image_code);
    }
    const key = JSON.stringify([data.points_id, data.extent]);
    if (key !== this.pointsKey) { this.pointsKey = key; this.drawPoints(); }
    // A code set by the page (its sliders, a new model, a pin) moves the group's code, unless the
    // pointer is on one of the group's pads right now.
    const g = this.group;
    const changed = !old || JSON.stringify(data.code) !== JSON.stringify(old.code);
    if (g.z === null || (changed && !g.hovering)) g.z = data.code.slice();
    this.draw(g.z);
  }

  toCode(e) {
    const box = this.plane.getBoundingClientRect();
    const [x0, x1, y0, y1] = this.data.extent;
    const u = Math.min(Math.max((e.clientX - box.left) / box.width, 0), 1);
    const v = Math.min(Math.max((e.clientY - box.top) / box.height, 0), 1);
    return [Math.fround(x0 + u * (x1 - x0)), Math.fround(y1 - v * (y1 - y0))];
  }

  moveTo(e) {
    const g = this.group;
    g.z = this.toCode(e);
    g.t = g.t || e.timeStamp;
    g.hovering = true;
    schedule(g);
    if (this.data.server_every_ms) this.sendSoon();
  }

  onDown(e) {
    if (e.pointerType !== "mouse") this.plane.setPointerCapture(e.pointerId);
    this.down = { x: e.clientX, y: e.clientY, moved: false };
    this.moveTo(e);
  }

  onMove(e) {
    if (this.down && Math.hypot(e.clientX - this.down.x, e.clientY - this.down.y) > 6) this.down.moved = true;
    this.moveTo(e);
  }

  onUp(e) {
    const down = this.down;
    this.down = null;
    if (!down) return;
    this.moveTo(e);
    const z = this.group.z;
    if (this.data.on_release) this.send("code", z);
    else if (this.data.server_every_ms) this.sendNow();
    if (this.data.pin && !down.moved) this.send("pin", z);
    if (e.pointerType !== "mouse") this.group.hovering = false;
  }

  onLeave(e) {
    if (this.down) return;
    const g = this.group;
    g.hovering = false;
    if (this.data.return_on_leave) {  // a preview only: back to the page's own code
      g.z = this.data.code.slice();
      schedule(g);
    }
  }

  send(name, z) {
    this.setTrigger(name, [z[0], z[1]]);
  }

  sendNow() {
    clearTimeout(this.sendTimer);
    this.sendTimer = null;
    this.lastSent = performance.now();
    this.send("code", this.group.z);
  }

  sendSoon() {  // the server decodes: at most one position every server_every_ms, the last one always
    const wait = this.lastSent + this.data.server_every_ms - performance.now();
    if (wait <= 0) this.sendNow();
    else if (!this.sendTimer) this.sendTimer = setTimeout(() => this.sendNow(), wait);
  }

  toPixel(x, y, w, h) {
    const [x0, x1, y0, y1] = this.data.extent;
    return [((x - x0) / (x1 - x0)) * w, ((y1 - y) / (y1 - y0)) * h];
  }

  sizeCanvas(canvas) {
    const ratio = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(this.plane.clientWidth * ratio));
    const h = Math.max(1, Math.round(this.plane.clientHeight * ratio));
    if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
    return [w, h, ratio];
  }

  drawPoints() {
    if (!this.data) return;
    const [w, h, ratio] = this.sizeCanvas(this.pointsCanvas);
    const ctx = this.pointsCanvas.getContext("2d");
    ctx.clearRect(0, 0, w, h);
    const [ox, oy] = this.toPixel(0, 0, w, h);
    ctx.strokeStyle = "#bbb";
    ctx.lineWidth = ratio;
    ctx.beginPath();
    ctx.moveTo(ox, 0); ctx.lineTo(ox, h); ctx.moveTo(0, oy); ctx.lineTo(w, oy);
    ctx.stroke();
    const { x, y, label } = this.data.points;
    const radius = 3.2 * ratio;
    ctx.globalAlpha = 0.85;
    for (let i = 0; i < x.length; i++) {
      const [px, py] = this.toPixel(x[i], y[i], w, h);
      ctx.fillStyle = this.data.classes[label[i]] ? this.data.classes[label[i]].color : "#777";
      ctx.beginPath();
      ctx.arc(px, py, radius, 0, 2 * Math.PI);
      ctx.fill();
    }
    ctx.globalAlpha = 1;
  }

  draw(z) {
    if (!this.data || !z) return;
    const data = this.data;
    // the marks: the pointer's code (a ring; dashed at the edge when z lies outside this plane),
    // the pinned code (a diamond) and the chosen image's code (a square)
    const [w, h, ratio] = this.sizeCanvas(this.marksCanvas);
    const ctx = this.marksCanvas.getContext("2d");
    ctx.clearRect(0, 0, w, h);
    const mark = (point, shape, size) => {
      let [px, py] = this.toPixel(point[0], point[1], w, h);
      const outside = px < 0 || px > w || py < 0 || py > h;
      px = Math.min(Math.max(px, 0), w); py = Math.min(Math.max(py, 0), h);
      ctx.beginPath();
      if (shape === "ring") ctx.arc(px, py, size * ratio, 0, 2 * Math.PI);
      else if (shape === "diamond") {
        const s = size * ratio;
        ctx.moveTo(px, py - s); ctx.lineTo(px + s, py); ctx.lineTo(px, py + s); ctx.lineTo(px - s, py); ctx.closePath();
      } else ctx.rect(px - size * ratio, py - size * ratio, 2 * size * ratio, 2 * size * ratio);
      ctx.setLineDash(outside ? [4 * ratio, 3 * ratio] : []);
      ctx.lineWidth = 5 * ratio; ctx.strokeStyle = "#fff"; ctx.stroke();
      ctx.lineWidth = 2.5 * ratio; ctx.strokeStyle = "#111"; ctx.stroke();
      return [px, py];
    };
    if (data.base_mark) mark(data.base_mark, "square", 7);
    if (data.pinned) mark(data.pinned, "diamond", 9);
    const [px, py] = mark(z, "ring", 11);
    ctx.setLineDash([]);
    ctx.lineWidth = ratio; ctx.strokeStyle = "rgba(17,17,17,0.45)";
    ctx.beginPath(); ctx.moveTo(px, 0); ctx.lineTo(px, h); ctx.moveTo(0, py); ctx.lineTo(w, py); ctx.stroke();
    const comma = data.comma;
    this.caption.textContent = data.texts.caption.replace("{x}", fmt(z[0], comma)).replace("{y}", fmt(z[1], comma));
    if (data.mode !== "browser" || !this.dec) return;
    // the image: the chosen dimensions from the pointer, the others from the page's base code
    const code = Float32Array.from(data.base);
    code[data.dims[0]] = z[0];
    code[data.dims[1]] = z[1];
    const pixels = decode(this.dec, code);
    const [c, ih, iw] = data.image_shape;
    const ctx2 = this.decoded.getContext("2d");
    const img = ctx2.createImageData(iw, ih);
    const plane = ih * iw;
    for (let i = 0; i < plane; i++) {
      for (let k = 0; k < 3; k++) {
        const v = pixels[(c === 3 ? k : 0) * plane + i];
        img.data[4 * i + k] = Math.floor(Math.min(Math.max(v, 0), 1) * 255 + 0.5);
      }
      img.data[4 * i + 3] = 255;
    }
    ctx2.putImageData(img, 0, 0);
    this.root.latentPadImage = Float32Array.from(pixels);
    this.root.dataset.code = JSON.stringify([code[data.dims[0]], code[data.dims[1]]]);
    this.root.dataset.frames = String(++this.frames);
  }
}

export default function (component) {
  const { parentElement, data, setTriggerValue } = component;
  let pad = G.pads.get(parentElement);
  if (!pad) {
    pad = new Pad(parentElement);
    G.pads.set(parentElement, pad);
  }
  pad.update(data, setTriggerValue);
  return () => {
    pad.destroy();
    G.pads.delete(parentElement);
  };
}
"""

_component = st.components.v2.component("latent_lab_latent_pad", html=_HTML, css=_CSS, js=_JS)


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
) -> None:
    """Mount one model's pad. `caption` is the image's caption with {x} and {y} for the code; `where`
    says where decoding happens. A conv decoder shows `served_image` (the page's decode at
    `served_code`) and sends the pointer's code to `on_code` at most 5 times a second. `on_release`:
    send the code where the pointer is let go (to `on_code`); `return_on_leave`: the pointer only
    previews, and the pad shows `view.code` again when it leaves."""
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
        "texts": {
            "x": f"z{view.dims[0] + 1}",
            "y": f"z{view.dims[1] + 1}",
            "legend": t("plot.class"),
            "plane": t("pad.plane_label"),
            "caption": caption,
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
