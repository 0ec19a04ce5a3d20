const PEN = 0.07;        // the line's width on screen, as a share of the side (a mask's brush comes in data.pen)
const STEP = 0.005;      // a new point once the pointer has moved this share of the side
const MAX_POINTS = 15000;
// An example digit for whoever has no pointer: a 7, as strokes of [x, y] in shares of the side
const EXAMPLE = [[[0.28, 0.22], [0.5, 0.21], [0.72, 0.2], [0.62, 0.42], [0.53, 0.64], [0.45, 0.84]], [[0.4, 0.52], [0.64, 0.52]]];

export default function ({ data, parentElement, setStateValue }) {
  const root = parentElement.querySelector('.ll-draw');
  const canvas = root.querySelector('canvas');
  const undo = root.querySelector('.ll-undo');
  const clear = root.querySelector('.ll-clear');
  const example = root.querySelector('.ll-example');
  undo.textContent = data.undo;
  clear.textContent = data.clear;
  example.textContent = data.example;
  root.querySelector('.ll-hint').textContent = data.hint;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', data.label);
  canvas.tabIndex = 0;
  // Painting a mask: the digit is drawn under the strokes, which are a translucent brush
  const pen = data.pen || PEN;
  const ink = data.background ? 'rgba(230, 159, 0, 0.75)' : '#111111';  // Okabe–Ito orange, as the page tints hidden pixels
  if (data.background && root.dataset.background !== data.background) {
    const picture = new Image();
    picture.onload = () => { root.__llBackground = picture; if (root.__llPaint) root.__llPaint(); };
    picture.src = data.background;
    root.dataset.background = data.background;
  }
  if (root.__llDraw) return root.__llDraw;  // set up already: a rerun only brings new labels

  // the strokes this canvas last sent, when it is drawn again after the page showed something else
  let strokes = Array.isArray(data.strokes) ? data.strokes.map((s) => s.map(([x, y]) => [x, y])) : [];
  let current = null;  // the stroke being drawn: {id, points}
  const count = () => strokes.reduce((n, s) => n + s.length, 0) + (current ? current.points.length : 0);

  function paint() {
    const side = canvas.width, ctx = canvas.getContext('2d');
    ctx.fillStyle = '#FFFFFF';
    ctx.fillRect(0, 0, side, canvas.height);
    if (root.__llBackground) {  // the digit, its pixels kept square
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(root.__llBackground, 0, 0, side, canvas.height);
    }
    ctx.strokeStyle = ctx.fillStyle = ink;
    ctx.lineWidth = pen * side;
    ctx.lineCap = ctx.lineJoin = 'round';
    for (const s of current ? [...strokes, current.points] : strokes) {
      ctx.beginPath();
      if (s.length === 1) {  // a dot
        ctx.arc(s[0][0] * side, s[0][1] * side, pen * side / 2, 0, 2 * Math.PI);
        ctx.fill();
        continue;
      }
      s.forEach(([x, y], i) => (i ? ctx.lineTo(x * side, y * side) : ctx.moveTo(x * side, y * side)));
      ctx.stroke();
    }
    const empty = strokes.length === 0 && !current;
    root.dataset.empty = String(empty);
    undo.disabled = clear.disabled = empty;
  }

  function resize() {
    const box = canvas.getBoundingClientRect(), ratio = window.devicePixelRatio || 1;
    const side = Math.max(1, Math.round(box.width * ratio));
    if (canvas.width !== side) { canvas.width = canvas.height = side; paint(); }
  }

  function send() {
    const r = (v) => Math.round(Math.min(1, Math.max(0, v)) * 1000) / 1000;
    setStateValue('strokes', strokes.map((s) => s.map(([x, y]) => [r(x), r(y)])));
  }

  function point(e) {
    const box = canvas.getBoundingClientRect();
    return [(e.clientX - box.left) / box.width, (e.clientY - box.top) / box.height];
  }

  function down(e) {
    if (current || (e.pointerType === 'mouse' && e.button !== 0)) return;
    e.preventDefault();
    canvas.setPointerCapture(e.pointerId);
    current = { id: e.pointerId, points: [point(e)] };
    paint();
  }

  function move(e) {
    if (!current || e.pointerId !== current.id) return;
    e.preventDefault();
    const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
    for (const ev of events.length ? events : [e]) {
      const p = point(ev), last = current.points[current.points.length - 1];
      if (Math.hypot(p[0] - last[0], p[1] - last[1]) >= STEP && count() < MAX_POINTS) current.points.push(p);
    }
    paint();
  }

  function up(e) {
    if (!current || e.pointerId !== current.id) return;
    strokes.push(current.points);
    current = null;
    paint();
    send();
  }

  undo.onclick = () => { strokes.pop(); paint(); send(); };
  clear.onclick = () => { strokes = []; paint(); send(); };
  const shown = data.exampleStrokes || EXAMPLE;  // a mask's example is its own
  example.onclick = () => { strokes = shown.map((s) => s.map(([x, y]) => [x, y])); paint(); send(); };
  // From the keyboard, on the focused canvas: E an example digit, Backspace undo, Delete clear
  const keys = { e: example, E: example, Backspace: undo, Delete: clear };
  canvas.onkeydown = (e) => {
    const button = keys[e.key];
    if (!button || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    if (!button.disabled) button.click();
  };
  canvas.addEventListener('pointerdown', down);
  canvas.addEventListener('pointermove', move);
  canvas.addEventListener('pointerup', up);
  canvas.addEventListener('pointercancel', up);
  root.__llPaint = paint;
  const observer = new ResizeObserver(resize);
  observer.observe(canvas);
  resize();
  paint();

  root.__llDraw = () => {
    observer.disconnect();
    canvas.removeEventListener('pointerdown', down);
    canvas.removeEventListener('pointermove', move);
    canvas.removeEventListener('pointerup', up);
    canvas.removeEventListener('pointercancel', up);
    delete root.__llDraw;
    delete root.__llPaint;
  };
  return root.__llDraw;
}
