"""The documentation runs: every ```python block of docs/*.md, page by page, on every backend.

Blocks of a page share one namespace and run in order, top to bottom. What a page shows is
checked against what the code does, in three ways:

- ``stmt  # -> shown``: a statement whose last line (or the comment-only line right after it)
  ends with ``# ->`` must print ``shown``; for an expression, what ``print(expression)`` prints.
- A ```text block right after a ```python block (nothing but blank lines between) is everything
  that block prints.
- ``stmt  # SomeError: message`` (``# ab.DTypeError: ...`` too): the statement must raise that
  exception, and its message must match ``message`` when one is given.

Matching ignores whitespace (``[[1., 2.], [3., 4.]]`` matches NumPy's two-line layout),
``...`` stands for any text, and a number matches when it is the actual value rounded to the
decimals shown (``0.245`` matches ``0.24472847``; ``2.`` matches only 2) or agrees with it to a
relative 1e-5 (float32 results differ in the last digits between backends). Outputs are shown
as on NumPy: on another backend its default device (``jax:cpu:0``) may read ``numpy:cpu``.

Blocks that define a plugin for a library that does not exist (``mylib``) are only compiled.
The site itself must build: ``mkdocs build --strict`` (no network), and the API reference must
cover every public name.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import importlib
import io
import math
import re
import subprocess
import sys
import tokenize
from pathlib import Path

import pytest

import arraybridge as ab

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md") if "```python" in p.read_text())
_FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```[ \t]*$", re.S | re.M)
_RAISES = re.compile(r"#\s*(?:ab\.)?([A-Z]\w*(?:Error|Exception))\b:?\s*(.*)$")
_SHOWS = re.compile(r"#\s*->\s?(.*)$")
_NUM = r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?"
_TOKEN = re.compile(rf"(\.\.\.)|({_NUM})|(\s+)|(.)", re.S)


# -- matching what a page shows against what the code printed --------------------------------
def _pattern(shown: str) -> tuple[re.Pattern[str], list[str]]:
    """A regex for ``shown`` (numbers captured, whitespace optional) and its numbers."""
    parts: list[str] = []
    numbers: list[str] = []
    prev = ""  # kind of the previous non-space token: "num", "word" or ""
    space = False
    for m in _TOKEN.finditer(shown.strip()):
        dots, num, ws, ch = m.groups()
        if ws:
            space = True
            continue
        kind = "num" if num else "word" if ch and ch.isalnum() else ""
        # whitespace the page shows between two numbers or words must be there
        gap = r"\s+" if space and prev and kind else r"\s*"
        if dots:
            parts.append(gap + r".*?")
        elif num:
            parts.append(gap + f"({_NUM})")
            numbers.append(num)
        else:
            parts.append(gap + re.escape(ch))
        prev, space = kind, False
    return re.compile("".join(parts) + r"\s*", re.S), numbers


def _close(actual: str, shown: str) -> bool:
    a, s = float(actual), float(shown)
    if math.isclose(a, s, rel_tol=1e-5, abs_tol=1e-12):
        return True
    mantissa = re.split("[eE]", shown)[0]
    decimals = len(mantissa.partition(".")[2])
    if decimals == 0 or "e" in shown.lower():
        return False
    return abs(a - s) <= 0.5 * 10.0**-decimals + 1e-12


def matches(shown: str, printed: str) -> bool:
    """Whether ``printed`` is what the page shows (see the module docstring)."""
    regex, numbers = _pattern(shown)
    candidates = [printed]
    default = str(ab.__array_namespace_info__().default_device())
    if default != "numpy:cpu":
        candidates.append(printed.replace(default, "numpy:cpu"))
    for text in candidates:
        m = regex.fullmatch(text.strip())
        if m and all(_close(a, s) for a, s in zip(m.groups(), numbers, strict=True)):
            return True
    return False


@pytest.mark.single_backend
def test_matching_rules() -> None:
    assert matches("[[1., 2.], [3., 4.]]", "[[1., 2.],\n [3., 4.]]")
    assert matches("[[ 2., 42.]]", "[[2., 42.]]")
    assert matches("[2., 1.62...]", "[2.       , 1.6209069]")
    assert matches("0.245", "0.24472847")
    assert matches("1.6209068", "1.6209069")
    assert matches(
        "add: cannot combine float32 and int64 ...",
        "add: cannot combine float32 and int64 (strict semantics never convert implicitly)",
    )
    assert not matches("2.", "2.4")
    assert not matches("[0.7, 0.8]", "[0.6, 0.8]")
    assert not matches("3 3", "33")
    assert not matches("float32", "float64")
    assert not matches("[1., 2.]", "[1., 2., 3.]")
    assert not matches("cannot combine", "add: cannot combine float32")


# -- running a page ---------------------------------------------------------------------------
def _blocks(page: Path) -> list[tuple[str, str | None]]:
    """Each ```python block of ``page`` with the ```text block that shows its output, if any."""
    text = page.read_text()
    fences = list(_FENCE.finditer(text))
    out: list[tuple[str, str | None]] = []
    for i, f in enumerate(fences):
        if f.group(1) != "python":
            continue
        shown = None
        nxt = fences[i + 1] if i + 1 < len(fences) else None
        if nxt and nxt.group(1) == "text" and not text[f.end() : nxt.start()].strip():
            shown = nxt.group(2)
        out.append((f.group(2), shown))
    return out


def _comments(block: str) -> dict[int, str]:
    """Line number -> the comment on that line."""
    found: dict[int, str] = {}
    for tok in tokenize.generate_tokens(io.StringIO(block).readline):
        if tok.type == tokenize.COMMENT:
            found[tok.start[0]] = tok.string
    return found


def _exception(name: str) -> type[BaseException]:
    found = getattr(builtins, name, None) or getattr(ab, name)
    assert isinstance(found, type) and issubclass(found, BaseException), name
    return found


def _run(block: str, where: str, ns: dict[str, object]) -> str:
    """Run ``block`` statement by statement in ``ns``, checking what it shows; its output."""
    tree = ast.parse(block, where)
    lines = block.splitlines()
    comments = _comments(block)
    printed = io.StringIO()
    checked = set()
    for stmt in tree.body:
        end = stmt.end_lineno or stmt.lineno
        comment = comments.get(end, "")
        after = comments.get(end + 1)
        if not comment and after and lines[end].lstrip().startswith("#"):
            comment = after  # the output shown on the next line, under the statement
            checked.add(end + 1)
        checked.add(end)
        line = f"{where}, line {stmt.lineno}"
        raises = _RAISES.search(comment)
        shows = _SHOWS.search(comment)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            if raises:
                with pytest.raises(_exception(raises.group(1))) as info:
                    exec(compile(ast.Module([stmt], []), where, "exec"), ns)
                message = raises.group(2).strip()
                assert not message or matches(message, str(info.value)), (
                    f"{line}: the page shows the message\n  {message}\nbut it is\n  {info.value}"
                )
            elif shows and isinstance(stmt, ast.Expr):
                value = eval(compile(ast.Expression(stmt.value), where, "eval"), ns)
                if value is not None:
                    print(value)
            else:
                exec(compile(ast.Module([stmt], []), where, "exec"), ns)
        printed.write(out.getvalue())
        if shows:
            shown = shows.group(1)
            assert matches(shown, out.getvalue()), (
                f"{line}: the page shows\n  {shown}\nbut the code prints\n  {out.getvalue()}"
            )
    for n, comment in comments.items():
        # a check inside a compound statement (a with or for body) would be ignored: refuse it
        assert n in checked or not (_SHOWS.search(comment) or _RAISES.search(comment)), (
            f"{where}, line {n}: outputs and errors are checked on top-level statements only"
        )
    return printed.getvalue()


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(DOCS)) for p in PAGES])
def test_page_runs(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # files a page writes (checkpoints) go here
    ns: dict[str, object] = {"__name__": "__docs__"}
    for i, (block, shown) in enumerate(_blocks(page)):
        where = f"{page.name}, block {i + 1}"
        if "mylib" in block:
            compile(block, where, "exec")
            continue
        printed = _run(block, where, ns)
        if shown is not None:
            assert matches(shown, printed), (
                f"{where}: the page shows\n{shown}\nbut the code prints\n{printed}"
            )


@pytest.mark.single_backend
def test_pages_show_outputs() -> None:
    """Each page with code checks at least one output: examples cannot drift silently."""
    for page in PAGES:
        blocks = _blocks(page)
        if all("mylib" in b for b, _ in blocks):
            continue
        checked = sum(b.count("# ->") for b, _ in blocks) + sum(s is not None for _, s in blocks)
        assert checked, f"{page.name} shows no output the tests check"


@pytest.mark.single_backend
def test_tensorflow_table_names_exist() -> None:
    """Every ``ab.`` name in the right column of docs/from-tensorflow.md's table exists."""
    rows = re.findall(r"^\| `tf[^|]*\| (.*) \|$", (DOCS / "from-tensorflow.md").read_text(), re.M)
    names = {n for row in rows for n in re.findall(r"`ab\.([\w.]+)", row)}
    assert len(names) > 60, names
    for name in sorted(names):
        obj: object = ab
        for part in name.split("."):
            assert hasattr(obj, part), f"ab.{name} in from-tensorflow.md does not exist"
            obj = getattr(obj, part)


# -- the site ---------------------------------------------------------------------------------
def _nav_pages(nav: object) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, list):
        return [p for item in nav for p in _nav_pages(item)]
    if isinstance(nav, dict):
        return [p for item in nav.values() for p in _nav_pages(item)]
    return []


@pytest.mark.single_backend
def test_every_page_is_in_the_navigation() -> None:
    text = (ROOT / "mkdocs.yml").read_text()
    listed = set(re.findall(r"^\s*- (?:[^:\n]+: )?([\w/.-]+\.md)\s*$", text, re.M))
    pages = {str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md")}
    assert pages == listed, f"not in the nav: {pages - listed}; missing: {listed - pages}"


@pytest.mark.single_backend
def test_reference_covers_the_namespace() -> None:
    """Every public name of ``arraybridge`` is rendered by a ``::: ...`` line of the reference."""
    idents = set()
    for page in (DOCS / "reference").glob("*.md"):
        idents.update(re.findall(r"^::: ([\w.]+)", page.read_text(), re.M))
    constants = {"e", "inf", "nan", "pi", "newaxis", "__array_api_version__"}
    missing = []
    for name in ab.__all__:
        obj = getattr(ab, name)
        if name in constants or isinstance(obj, ab.DType):
            continue  # documented in the reference's index, with the dtypes
        if f"arraybridge.{name}" in idents:
            continue
        homes = [i for i in idents if name in getattr(_module(i), "__all__", ())]
        if not homes:
            missing.append(name)
    assert not missing, f"not in docs/reference: {missing}"


def _module(ident: str) -> object:
    try:
        return importlib.import_module(ident)
    except ImportError:
        return None


@pytest.mark.single_backend
def test_mkdocs_build_strict(tmp_path: Path) -> None:
    site = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (site / "index.html").is_file()
    assert (site / "reference" / "functions" / "index.html").is_file()
