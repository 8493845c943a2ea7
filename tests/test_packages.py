"""The two packages keep to their audiences: ``helpers`` (what learners' notebooks import) never
imports ``course_tools`` (the maintainers' tooling), notebooks import only ``helpers``, and the
``course`` command that pyproject.toml installs is ``course_tools.cli:main``."""

import ast
import importlib
import json
import subprocess
import sys
import tomllib

import nbformat
import pytest
from conftest import NOTEBOOKS, REPO

LEARNERS_PACKAGE, MAINTAINERS_PACKAGE = "helpers", "course_tools"


def imported_modules(source: str) -> set[str]:
    """Every module that ``source`` names in an import statement (absolute names; relative
    imports as ``.name``)."""
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            modules.add("." * node.level + (node.module or ""))
    return modules


def from_package(modules: set[str], package: str) -> set[str]:
    return {name for name in modules if name == package or name.startswith(package + ".")}


def test_imported_modules_sees_every_import_form():
    source = "import a.b\nfrom course_tools.cli import main\nfrom . import x\ndef f():\n    import course_tools\n"
    assert imported_modules(source) == {"a.b", "course_tools.cli", ".", "course_tools"}
    assert from_package(imported_modules(source), "course_tools") == {"course_tools.cli", "course_tools"}


@pytest.mark.parametrize("path", sorted((REPO / LEARNERS_PACKAGE).rglob("*.py")), ids=lambda p: str(p.relative_to(REPO)))
def test_helpers_source_imports_nothing_from_course_tools(path):
    found = from_package(imported_modules(path.read_text(encoding="utf-8")), MAINTAINERS_PACKAGE)
    assert not found, f"{path.relative_to(REPO)} imports {sorted(found)}: learners' code may not depend on the maintainers' tooling"


def test_importing_helpers_loads_no_course_tools_module():
    code = (
        "import json, sys, helpers, helpers.data.synthetic, helpers.nn.conv\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'course_tools')))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert json.loads(result.stdout.splitlines()[-1]) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_import_only_the_learners_package(path):
    nb = nbformat.read(path, as_version=4)
    for index, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        found = from_package(imported_modules(cell.source), MAINTAINERS_PACKAGE)
        assert not found, f"Cell {index} imports {sorted(found)}; notebooks import only helpers"


def test_the_course_script_is_course_tools_cli(capsys):
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    module_name, function_name = scripts["course"].split(":")
    assert module_name.split(".")[0] == MAINTAINERS_PACKAGE
    main = getattr(importlib.import_module(module_name), function_name)
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    shown = capsys.readouterr().out
    for command in ("store", "learners", "seeds", "renumber", "site", "export"):
        assert command in shown
