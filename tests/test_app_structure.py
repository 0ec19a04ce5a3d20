"""How the app is put together: one list of pages that matches pages/, every page set up by the
shared call, no torch in the Streamlit layer and no Streamlit in vae_core, Streamlit used through its
public API only, every file read top to bottom (nothing used above the place it is defined), and
every picture and chart given a text alternative."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from ui.navigation import PAGES

ROOT = Path(__file__).resolve().parent.parent
PAGE_FILES = sorted((ROOT / "pages").glob("*.py"))
UI_FILES = [ROOT / "app.py", *PAGE_FILES, *sorted((ROOT / "ui").glob("*.py"))]
CORE_FILES = sorted((ROOT / "vae_core").glob("*.py"))
ALL_FILES = UI_FILES + sorted((ROOT / "tests").rglob("*.py")) + sorted((ROOT / "bench").glob("*.py"))


def test_the_list_of_pages_is_the_pages_folder() -> None:
    listed = {page.path for page in PAGES}
    assert listed == {"app.py", *(f"pages/{p.name}" for p in PAGE_FILES)}
    assert len({page.name for page in PAGES}) == len(PAGES)
    assert all(page.name == Path(page.path).stem for page in PAGES[1:])  # the URL is the file's stem


def test_every_page_starts_with_the_shared_setup_under_its_own_name() -> None:
    for page in PAGES:
        tree = ast.parse((ROOT / page.path).read_text(encoding="utf-8"))
        calls = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "page_setup"
        ]
        assert len(calls) == 1, f"{page.path} must call page_setup once"
        assert ast.literal_eval(calls[0].args[0]) == page.name, page.path


def test_pages_and_ui_helpers_hold_no_torch_code() -> None:
    for path in UI_FILES:
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import torch|from torch)", source, re.MULTILINE), path.name


def test_vae_core_holds_no_streamlit() -> None:
    for path in CORE_FILES:
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import streamlit|from streamlit)", source, re.MULTILINE), path.name


def defined_further_down(path: Path) -> list[str]:
    """Module-level names that a function or class of `path` reads (not in annotations) above the
    statement that defines them: "user → name"."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    defined: dict[str, int] = {}  # module-level name → the line of its first definition
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            defined.setdefault(node.name, node.lineno)
        for sub in ast.walk(node) if not isinstance(node, ast.FunctionDef | ast.ClassDef) else ():
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                defined.setdefault(sub.id, node.lineno)
    found = []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        annotations = {
            id(part)
            for sub in ast.walk(node)
            for hint in (getattr(sub, "annotation", None), getattr(sub, "returns", None))
            if hint is not None
            for part in ast.walk(hint)
        }
        local = {sub.arg for sub in ast.walk(node) if isinstance(sub, ast.arg)}
        local |= {sub.id for sub in ast.walk(node) if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store)}
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load) and id(sub) not in annotations:
                if sub.id not in local and defined.get(sub.id, 0) > node.lineno:
                    found.append(f"{node.name} → {sub.id}")
    return sorted(set(found))


def test_every_file_reads_top_to_bottom() -> None:
    """No function or class uses a function, class or global of its module defined further down."""
    used = {path.relative_to(ROOT).as_posix(): defined_further_down(path) for path in UI_FILES + CORE_FILES}
    assert not {name: found for name, found in used.items() if found}


def streamlit_internals(path: Path) -> list[str]:
    """`streamlit.runtime`, private modules and private names of Streamlit used in one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bound: set[str] = set()  # names this file binds to Streamlit's modules and objects
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("streamlit"):
            modules = [(f"{node.module}.{alias.name}", alias.asname or alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            modules = [(a.name, a.asname or a.name.split(".")[0]) for a in node.names if a.name.startswith("streamlit")]
        else:
            continue
        for module, name in modules:
            bound.add(name)
            parts = module.split(".")
            if "runtime" in parts or any(p.startswith("_") for p in parts):
                found.append(f"imports {module}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            base = node.value
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name) and base.id in bound:
                found.append(f"reads {base.id}….{node.attr}")
    return found


def test_no_streamlit_internals() -> None:
    used = {path.relative_to(ROOT).as_posix(): streamlit_internals(path) for path in ALL_FILES}
    assert not {name: found for name, found in used.items() if found}


def pictures_without_alt(path: Path) -> list[str]:
    """`st.image(...)` or `<column>.image(...)` calls without an `alt`, and charts drawn around
    `show_chart` (which names each chart by its summary in words)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        keywords = {k.arg for k in node.keywords}
        if node.func.attr == "image" and "alt" not in keywords:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: a picture without a text alternative (alt=)")
        if node.func.attr == "plotly_chart" and path.name != "style.py":
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: a chart not drawn by ui.style.show_chart")
    return found


def test_every_picture_has_a_text_alternative_and_every_chart_its_summary() -> None:
    assert [line for path in UI_FILES for line in pictures_without_alt(path)] == []
