// Presenter mode's keys: → or Page Down opens the lesson's next step, ← or Page Up the previous one
// (a presentation clicker sends Page Down and Page Up), by clicking the presenter bar's own links, so
// the app moves as a click would, without reloading. Keys typed into a field are left alone.
const KEYS = { ArrowRight: 'next', PageDown: 'next', ArrowLeft: 'previous', PageUp: 'previous' };

export default function () {
  if (window.__llPresenterKeys) return undefined;  // one listener, however many reruns
  const onKey = (event) => {
    const which = KEYS[event.key];
    if (!which || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (event.target.closest && event.target.closest('input, textarea, select, [contenteditable], [role="slider"]')) return;
    const link = document.querySelector(`.st-key-lesson_${which}_present a`);
    if (!link) return;
    event.preventDefault();
    link.click();
  };
  document.addEventListener('keydown', onKey);
  window.__llPresenterKeys = onKey;
  return () => {
    document.removeEventListener('keydown', onKey);
    delete window.__llPresenterKeys;
  };
}
