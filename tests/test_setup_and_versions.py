"""Unit tests of helpers.notebook_setup and helpers.versions."""

import random

import matplotlib as mpl
import numpy as np
import pytest

from helpers import versions
from helpers.notebook_setup import PLOT_DEFAULTS, setup_notebook


def test_setup_notebook_seeds_and_returns_a_generator():
    rng = setup_notebook(seed=3)
    first = (rng.random(), random.random())
    rng = setup_notebook(seed=3)
    assert (rng.random(), random.random()) == first
    assert mpl.rcParams["figure.dpi"] == PLOT_DEFAULTS["figure.dpi"]


@pytest.mark.parametrize("bad_seed", [-1, 1.5, "0", True])
def test_setup_notebook_rejects_bad_seeds(bad_seed):
    with pytest.raises(ValueError, match="non-negative integer"):
        setup_notebook(seed=bad_seed)


def test_installed_stack_is_supported():
    versions.check_versions()


def test_version_guard_reports_too_old_too_new_and_missing(monkeypatch):
    monkeypatch.setitem(versions.SUPPORTED_VERSIONS, "numpy", ("99.0", "100.0"))
    monkeypatch.setitem(versions.SUPPORTED_VERSIONS, "matplotlib", ("0.1", "0.2"))
    monkeypatch.setitem(versions.SUPPORTED_VERSIONS, "not-a-real-package", ("1.0", "2.0"))
    with pytest.raises(RuntimeError) as error:
        versions.check_versions(["numpy", "matplotlib", "not-a-real-package"])
    message = str(error.value)
    assert f"numpy {np.__version__} is installed but the course needs >=99.0,<100.0" in message
    assert "matplotlib" in message and "not-a-real-package is not installed" in message
    assert "pip install -r requirements.txt" in message


def fake_installed(monkeypatch, installed: dict[str, str]) -> None:
    """Make the guard see exactly the distributions in ``installed`` (name -> version)."""
    monkeypatch.setattr(versions, "installed_version", installed.get)


@pytest.mark.parametrize("distribution", ["tensorflow", "tensorflow-cpu"])
def test_version_guard_accepts_either_tensorflow_distribution(monkeypatch, distribution):
    fake_installed(monkeypatch, {distribution: "2.21.0"})
    versions.check_versions(["tensorflow"])


def test_version_guard_checks_the_range_of_whichever_tensorflow_is_installed(monkeypatch):
    fake_installed(monkeypatch, {"tensorflow": "2.15.1"})
    with pytest.raises(RuntimeError, match=r"tensorflow 2\.15\.1 is installed but the course needs >=2\.16,<3\.0"):
        versions.check_versions(["tensorflow"])


def test_version_guard_without_tensorflow_names_both_distributions_and_the_fix(monkeypatch):
    fake_installed(monkeypatch, {"keras": "3.15.1"})
    with pytest.raises(RuntimeError) as error:
        versions.check_versions(["keras", "tensorflow"])
    message = str(error.value)
    assert message.startswith("tensorflow is not installed (need >=2.16,<3.0 from ")
    assert "tensorflow-cpu on Linux x86-64 and Windows" in message
    assert "tensorflow on macOS arm64 and Linux aarch64" in message
    assert "Intel Mac" in message
    assert message.endswith(versions.FIX)


def test_version_guard_rejects_unknown_names():
    with pytest.raises(KeyError, match="No supported range"):
        versions.check_versions(["leftpad"])
