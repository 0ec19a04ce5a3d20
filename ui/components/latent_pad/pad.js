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
    this.announce = this.root.querySelector(".announce");
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
      ["keydown", (e) => this.onKey(e)], ["blur", (e) => this.onLeave(e)],
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
    const picture = this.describe(data.code);  // the decoded picture's text alternative, at the page's code
    this.decoded.setAttribute("aria-label", picture);
    this.served.alt = picture;
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

  // The keyboard: arrows move the code by a fiftieth of the plane (Shift: a tenth), Enter or Space
  // pins it; the code is then announced to a screen reader, and the server told as a pointer would.
  onKey(e) {
    const steps = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    const g = this.group;
    if (!this.data || !g) return;
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      if (this.data.pin) this.send("pin", g.z);
      this.say(g.z);
      return;
    }
    const step = steps[e.key];
    if (!step || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();  // the arrows move the code, not the page
    const [x0, x1, y0, y1] = this.data.extent, share = e.shiftKey ? 0.1 : 0.02;
    const z = (g.z || this.data.code).slice();
    z[0] = Math.fround(Math.min(Math.max(z[0] + step[0] * share * (x1 - x0), x0), x1));
    z[1] = Math.fround(Math.min(Math.max(z[1] + step[1] * share * (y1 - y0), y0), y1));
    g.z = z;
    g.t = g.t || e.timeStamp;
    g.hovering = true;  // held where the keys put it, as under a pointer
    schedule(g);
    if (this.data.on_release) this.send("code", z);
    else if (this.data.server_every_ms) this.sendSoon();
    this.say(z);
  }

  // Each pad of the group says its own model's picture at z: the code, and what the evaluator reads
  // there (the page's readings, one per cell of the plane) where it can read this model's images.
  say(z) {
    for (const pad of this.group.pads) if (pad.data) pad.announce.textContent = pad.describe(z);
  }

  describe(z) {
    const d = this.data, tx = d.texts;
    const code = tx.spoken.replace("{x}", fmt(z[0], d.comma)).replace("{y}", fmt(z[1], d.comma));
    const digit = this.reading(z);
    if (digit === null) return code;
    return `${code}: ${digit < 0 ? tx.unclear : tx.looks.replace("{digit}", String(digit))}`;
  }

  reading(z) {
    const d = this.data, n = d.reading_side;
    if (!d.readings || d.readings.length !== n * n) return null;
    const [x0, x1, y0, y1] = d.extent;
    if (z[0] < x0 || z[0] > x1 || z[1] < y0 || z[1] > y1) return null;  // off the plane: not read there
    const col = Math.min(Math.max(Math.floor(((z[0] - x0) / (x1 - x0)) * n), 0), n - 1);
    const row = Math.min(Math.max(Math.floor(((y1 - z[1]) / (y1 - y0)) * n), 0), n - 1);
    return d.readings[row * n + col];
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
