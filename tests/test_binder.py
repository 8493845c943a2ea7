"""Binder: environment.yml installs exactly requirements.txt, and the README's launch badge points at the repository.

repo2docker builds environment.yml (it takes precedence over requirements.txt). Its pip section
references a local file, so repo2docker copies the whole repository before installing and pip
runs in the repository's root, where requirements.txt's ``-e .`` finds pyproject.toml.
"""

import re
import tomllib

import yaml
from conftest import NOTEBOOKS, REPO

BINDER = "https://mybinder.org/v2/gh/{owner}/{name}/HEAD?urlpath=lab/tree/notebooks/{notebook}"
BADGE = "[![Launch on Binder](https://mybinder.org/badge_logo.svg)]({url})"


def repository_address() -> tuple[str, str]:
    """(owner, name) from ``[project.urls] Repository`` in pyproject.toml, a github.com address."""
    urls = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]
    found = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?/?", urls["Repository"])
    assert found, f"[project.urls] Repository must be https://github.com/OWNER/NAME, got {urls['Repository']!r}"
    return found.group(1), found.group(2)


def test_environment_installs_requirements_txt_and_nothing_else():
    environment = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    dependencies = environment["dependencies"]
    conda_packages = [dep for dep in dependencies if isinstance(dep, str)]
    pip_sections = [dep["pip"] for dep in dependencies if isinstance(dep, dict)]
    assert pip_sections == [["-r requirements.txt"]], "the pip section must be exactly `-r requirements.txt`"
    python = [dep for dep in conda_packages if dep.startswith("python")]
    assert sorted(conda_packages) == sorted(python + ["pip"]) and len(python) == 1, (
        f"conda installs only python (pinned) and pip, the installer; got {conda_packages}"
    )
    version = re.fullmatch(r"python=(3\.\d+)", python[0])
    assert version, f"pin Python's minor version as python=3.X, got {python[0]!r}"
    lock_header = (REPO / "requirements.txt").read_text(encoding="utf-8")[:500]
    assert f"--python-version {version.group(1)}" in lock_header, (
        f"environment.yml's Python {version.group(1)} must be the one requirements.txt was compiled for"
    )
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert f"Programming Language :: Python :: {version.group(1)}" in pyproject["classifiers"]


def test_requirements_install_the_course_package_from_the_repository_root():
    lines = [line.strip() for line in (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines()]
    assert "-e ." in lines, "requirements.txt must install the course's package (`-e .`) from the repository root"
    assert (REPO / "pyproject.toml").exists()


def test_readme_binder_badge_is_built_from_the_repository_address_and_opens_notebook_00():
    owner, name = repository_address()
    first = NOTEBOOKS[0].name
    assert first.startswith("00_")
    badge = BADGE.format(url=BINDER.format(owner=owner, name=name, notebook=first))
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\(https://mybinder\.org/v2/[^)]*\)", readme)
    assert badge in readme and len(links) == 1, (
        f"the README's Binder badge must be built from pyproject.toml's Repository; use this line:\n{badge}"
    )
