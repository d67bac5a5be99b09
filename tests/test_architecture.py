"""The package's shape: import-linter keeps the floors and seams, and the README and docstrings describe it."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = sorted(path.parent.name for path in (ROOT / "ratc").glob("*/__init__.py"))
MAX_MODULE_LINES = 400
# Modules that may stay longer than MAX_MODULE_LINES, each with the reason (issue 13 asks for a note).
LONG_MODULES: dict[str, str] = {}


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """Run import-linter with the repo's contracts on the packages under `root`."""
    run = "import sys; from importlinter.cli import lint_imports_command as lint; sys.exit(lint())"
    command = [sys.executable, "-c", run, "--config", str(ROOT / "pyproject.toml"), "--no-cache"]
    environment = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(command, cwd=root, env=environment, capture_output=True, text=True, timeout=120)


def test_the_import_contracts_are_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("package", "module", "offending_import", "contract"),
    [
        ("core", "leak", "from ratc.ui import cache", "Floors"),
        ("monitor", "leak", "import streamlit", "Only ratc.ui imports Streamlit"),
        ("continuity", "leak", "from ratc.initiatives import registry", "Capabilities are independent"),
        ("hangout", "leak", "from ratc.hangout import report", "No import cycles"),
    ],
)
def test_a_broken_layer_fails_the_contract(tmp_path, package, module, offending_import, contract):
    """A copy of the package with one wrong import: the contract names it, so a wrong import fails CI."""
    shutil.copytree(ROOT / "ratc", tmp_path / "ratc", ignore=shutil.ignore_patterns("__pycache__", "static"))
    shutil.copytree(ROOT / "pages", tmp_path / "pages", ignore=shutil.ignore_patterns("__pycache__"))
    if package == "hangout":  # report imports session; session importing report closes a cycle
        target = tmp_path / "ratc" / "hangout" / "session.py"
        target.write_text(target.read_text() + f"\n{offending_import}  # noqa\n")
        broken = "ratc.hangout.session"
    else:
        (tmp_path / "ratc" / package / f"{module}.py").write_text(f'"""A wrong import."""\n{offending_import}\n')
        broken = f"ratc.{package}.{module}"
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert f"{contract}" in result.stdout and "BROKEN" in result.stdout
    assert broken.rsplit(".", 1)[-1] in result.stdout, result.stdout


def test_ratc_holds_only_subpackages():
    loose = sorted(path.name for path in (ROOT / "ratc").iterdir() if path.is_file() and path.suffix == ".py")
    assert loose == ["__init__.py", "__main__.py"]


def test_every_package_is_in_the_floors_contract():
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    floors = next(contract for contract in contracts if contract["id"] == "floors")
    named = {name.strip() for layer in floors["layers"] for name in re.split(r"[:|]", layer)} - {"__main__"}
    assert named == set(PACKAGES)


@pytest.mark.parametrize("package", PACKAGES)
def test_every_package_says_what_it_owns_and_may_import(package):
    doc = ast.get_docstring(ast.parse((ROOT / "ratc" / package / "__init__.py").read_text()))
    assert doc and len(doc) > 40, f"ratc/{package}/__init__.py needs a docstring: what it owns, what it may import"
    assert "import" in doc.lower(), f"ratc/{package}'s docstring should say what it may import"


@pytest.mark.parametrize("package", PACKAGES)
def test_the_readme_layout_lists_every_package(package):
    layout = _readme_section("Project layout")
    assert re.search(rf"`ratc/{package}/`", layout), f"README 'Project layout' does not list ratc/{package}/"


def test_the_readme_layout_lists_no_package_that_is_gone():
    listed = set(re.findall(r"`ratc/([a-z_]+)/`", _readme_section("Project layout")))
    assert listed <= set(PACKAGES), sorted(listed - set(PACKAGES))


def test_module_paths_named_in_the_docs_exist():
    """A README or docs line that names `ratc/…/x.py` points at a file that is there."""
    documents = [ROOT / "README.md", ROOT / "bench" / "README.md", *(ROOT / "docs").glob("*.md"),
                 *(ROOT / "data").rglob("README.md")]  # fmt: skip
    missing = sorted(
        f"{document.relative_to(ROOT)}: {name}"
        for document in documents
        for name in re.findall(r"ratc/[a-z_/]+\.py", document.read_text())
        if not (ROOT / name).exists()
    )
    assert missing == []


def test_no_module_is_past_the_size_one_reads_in_a_sitting():
    long = {
        str(path.relative_to(ROOT)): count
        for path in sorted((ROOT / "ratc").rglob("*.py"))
        if (count := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert {name: count for name, count in long.items() if name not in LONG_MODULES} == {}


def _readme_section(title: str) -> str:
    """The text of one `## title` section of the README."""
    text = (ROOT / "README.md").read_text()
    start = text.index(f"## {title}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]
