"""The browser's code lives in files of its own (ui/components/<component>/), and stays there: every
asset the Python names exists and is valid in its own language, none lies unused, and no Python file
under ui/ embeds a <script> or <style> block, a CSS rule or a JavaScript function again."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ui.components import asset
from ui.lesson import PHONE_PANEL, SIDEBAR_PANEL
from ui.shell import PHONE_NAV_KEY

ROOT = Path(__file__).resolve().parent.parent
COMPONENTS = ROOT / "ui" / "components"
PYTHON = sorted((ROOT / "ui").rglob("*.py"))
LOADERS = {"asset", "asset_file"}
ASSETS = sorted(p for p in COMPONENTS.rglob("*") if p.suffix in {".html", ".css", ".js"})
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

EMBEDDED = {  # what browser code looks like inside a Python string
    "a <script> or <style> element": re.compile(r"<\s*(script|style)\b", re.IGNORECASE),
    # plotly's label markup (<b>, <br>, <i>, <sup>) is not a page's structure, and stays allowed
    "an HTML element": re.compile(r"<\s*(div|span|p|a|canvas|button|img|input|label|section|svg|ul|ol|li|table)\b"),
    "a JavaScript function": re.compile(r"\bfunction\b\s*\w*\s*\([^()]*\)\s*\{|=>\s*\{|\bexport\s+default\b"),
    "a JavaScript declaration": re.compile(r"^\s*(const|let|var)\s+\w+\s*=", re.MULTILINE),
    "a CSS rule": re.compile(r"\{\s*[a-z-]+\s*:[^{};]+;"),
}


def referenced() -> dict[Path, str]:
    """Each asset file the Python under ui/ reads (asset("component", "name")), with where it is read."""
    found: dict[Path, str] = {}
    for path in PYTHON:
        if path == COMPONENTS / "__init__.py":  # the loaders themselves
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in LOADERS:
                args = [ast.literal_eval(a) for a in node.args]  # literal names: a reader can find the file
                assert len(args) == 2 and all(isinstance(a, str) for a in args), f"{path.name}:{node.lineno}"
                found[COMPONENTS / args[0] / args[1]] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return found


def test_every_asset_the_python_reads_exists_and_none_lies_unused() -> None:
    files = referenced()
    assert len(files) >= 9  # pad ×3, canvas ×3, cookie, page style, lesson style
    missing = [f"{where} reads {path.relative_to(ROOT)}" for path, where in files.items() if not path.is_file()]
    assert not missing
    assert sorted(files) == ASSETS  # every asset file is read by some component
    for path in ASSETS:
        assert path.parent.parent == COMPONENTS, f"{path}: one folder per component"


@pytest.mark.parametrize("path", ASSETS, ids=lambda p: p.relative_to(COMPONENTS).as_posix())
def test_every_asset_runs_over_several_lines(path: Path) -> None:
    # st.components.v2 takes a one-line string for a path into an installed package's asset_dir
    assert "\n" in path.read_text(encoding="utf-8").strip()


class TagStack(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self.errors.append(f"<{tag}> in the HTML: it belongs in the .js or .css file")
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.errors.append(f"</{tag}> closes nothing open")


@pytest.mark.parametrize("path", [p for p in ASSETS if p.suffix == ".html"], ids=lambda p: p.name)
def test_html_assets_are_balanced_markup(path: Path) -> None:
    parser = TagStack()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    assert not parser.errors and not parser.open, (parser.errors, parser.open)


@pytest.mark.parametrize("path", [p for p in ASSETS if p.suffix == ".css"], ids=lambda p: p.name)
def test_css_assets_are_plain_css(path: Path) -> None:
    text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert "<" not in text, "no markup (<style>) in a .css file"
    assert not re.search(r"\$|\{\{|\}\}", text), "no template placeholders: the file is CSS as it is"
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0, "a } closes nothing"
    assert depth == 0, "a { is never closed"


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
@pytest.mark.parametrize("path", [p for p in ASSETS if p.suffix == ".js"], ids=lambda p: p.name)
def test_js_assets_parse_as_modules(path: Path, tmp_path: Path) -> None:
    module = tmp_path / f"{path.stem}.mjs"  # st.components.v2 loads the JS as an ES module
    module.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    result = subprocess.run(["node", "--check", str(module)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def strings(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string literal of a module, f-strings' literal parts included."""
    return [(n.lineno, n.value) for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def test_no_python_file_under_ui_embeds_browser_code() -> None:
    found = []
    for path in PYTHON:
        for line, text in strings(ast.parse(path.read_text(encoding="utf-8"))):
            where = f"{path.relative_to(ROOT)}:{line}"
            found += [f"{where}: {what}" for what, pattern in EMBEDDED.items() if pattern.search(text)]
    assert not found


@pytest.mark.parametrize(
    "snippet",
    [
        "<style>.a { color: red; }</style>",
        '<div class="ll-draw">',
        ".a {\n  color: red;\n}",
        "export default function ({ data }) {\n}",
        "const PEN = 0.07;",
        "() => { return 1; }",
    ],
)
def test_the_embedded_code_check_sees_browser_code(snippet: str) -> None:
    assert any(pattern.search(snippet) for pattern in EMBEDDED.values())


def test_the_styles_name_the_containers_by_their_keys() -> None:
    # CSS has no variables in selectors: the files write the keys' classes out, and must follow the keys
    lesson, page = asset("lesson_panel", "lesson.css"), asset("page_style", "page.css")
    assert f".st-key-{PHONE_PANEL} " in lesson and f".st-key-{SIDEBAR_PANEL} " in lesson
    assert f".st-key-{PHONE_NAV_KEY} " in page
