"""The browser's side of the app: each component's (and style's) HTML, CSS and JavaScript, one folder
per component, each file valid in its own language, so an editor, a linter or `node --check` can read it.

The Python modules keep the wiring only: they read these files here, once, and hand their text to
`st.components.v2.component` (inline: `asset_dir` paths work for installed packages only, and the app
runs from a checkout) or give the file to `st.html`, which wraps a .css file in a style element.
An asset must run over several lines: `st.components.v2` takes a one-line string for a path.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def asset_file(component: str, name: str) -> Path:
    """The file `name` in the folder of `component`, e.g. asset_file("page_style", "page.css")."""
    path = files(__name__).joinpath(component, name)
    if not isinstance(path, Path):  # a zip import: not how the app runs
        raise RuntimeError(f"ui/components is not a folder on disk: {path}")
    if not path.is_file():
        raise FileNotFoundError(path)
    return path


def asset(component: str, name: str) -> str:
    """The text of the file `name` in the folder of `component`, e.g. asset("latent_pad", "pad.js")."""
    return asset_file(component, name).read_text(encoding="utf-8")
