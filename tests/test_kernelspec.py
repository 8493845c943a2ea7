"""Every notebook stores the kernel metadata the installed kernel reports (course_tools/kernelspec.py).

JupyterLab rewrites ``kernelspec`` and ``language_info`` from the running kernel when a
notebook opens and marks the notebook changed if either differs from what it stores
(tests/test_jupyterlab.py shows it in a browser). ``language_info.version`` is the full
Python version of whoever stored the outputs, so it is compared only for consistency.
"""

import platform
import tomllib

import nbformat
import pytest
from conftest import NOTEBOOKS, REPO, notebook_params
from packaging.specifiers import SpecifierSet

from course_tools.kernelspec import installed_kernelspec, kernel_language_info, normalise_metadata

STORED = {path.stem: nbformat.read(path, as_version=4).metadata for path in NOTEBOOKS}


@pytest.fixture(scope="module")
def language_info():
    return kernel_language_info()


@pytest.mark.parametrize("path", notebook_params())
def test_notebook_stores_the_installed_kernelspec(path):
    assert STORED[path.stem].get("kernelspec") == installed_kernelspec(), (
        f"{path.name}: JupyterLab marks it changed on opening; fix with:  python -m course_tools.kernelspec {path.as_posix()}"
    )


def test_notebooks_store_the_language_info_the_kernel_reports(language_info):
    """Everything but the Python version equals the kernel's reply; all notebooks store one version."""
    def without_version(info):
        return {key: value for key, value in info.items() if key != "version"}

    differing = [name for name, metadata in STORED.items() if without_version(metadata.get("language_info", {})) != without_version(language_info)]
    assert differing == [], f"language_info differs from the kernel's {language_info} in {differing}"
    versions = {metadata["language_info"]["version"] for metadata in STORED.values()}
    assert len(versions) == 1, (
        f"the notebooks were stored under several Pythons: {sorted(versions)}; "
        "make them agree with:  python -m course_tools.kernelspec notebooks/*.ipynb"
    )
    supported = SpecifierSet(tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["requires-python"])
    assert versions <= set(supported.filter(versions)), f"stored under Python {versions}, outside requires-python {supported}"


def test_the_kernel_reports_this_python(language_info):
    assert language_info["name"] == "python"
    assert language_info["version"] == platform.python_version()


def test_normalise_metadata_rewrites_an_old_display_name_and_nothing_else(language_info):
    nb = nbformat.v4.new_notebook(metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {**language_info, "version": "3.9.0"},
        "course": {"kept": True},
    })
    nb.cells.append(nbformat.v4.new_code_cell("1 + 1"))
    cells_before = nbformat.writes(nb).split('"metadata"')[0]

    assert normalise_metadata(nb, language_info=language_info) is True
    assert nb.metadata["kernelspec"] == installed_kernelspec()
    assert nb.metadata["language_info"] == language_info
    assert nb.metadata["course"] == {"kept": True}
    assert nbformat.writes(nb).split('"metadata"')[0] == cells_before
    assert normalise_metadata(nb, language_info=language_info) is False


def test_normalise_metadata_keeps_language_info_unless_given():
    nb = nbformat.v4.new_notebook(metadata={"language_info": {"name": "python", "version": "3.12.1"}})
    assert normalise_metadata(nb) is True
    assert nb.metadata["language_info"] == {"name": "python", "version": "3.12.1"}


def test_a_missing_kernel_gets_a_clear_error():
    with pytest.raises(LookupError, match="No Jupyter kernel named 'no-such-kernel'.*installed: .*python3"):
        installed_kernelspec("no-such-kernel")
