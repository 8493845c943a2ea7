"""Loaders for the small synthetic tables (see :mod:`helpers.data.synthetic` for how each is made).

Each loader returns ``(X, y)`` with examples in rows: ``X`` is float64 of shape
``(m, n_features)`` (2-D even for one feature) and ``y`` is float64 of shape ``(m,)``.
Column names are in the matching ``*_FEATURES`` constant.
"""

import numpy as np

from helpers.data.registry import verified_path

ADVERTISING_FEATURES = ("TV", "radio", "newspaper")
STUDY_SLEEP_FEATURES = ("studied", "slept")


def _load_table(name: str) -> tuple[np.ndarray, np.ndarray]:
    table = np.loadtxt(verified_path(name, f"synthetic/{name}.csv"), delimiter=",", skiprows=1, ndmin=2)
    return table[:, :-1], table[:, -1]


def load_advertising() -> tuple[np.ndarray, np.ndarray]:
    """SYNTHETIC advertising spend: X (200, 3) = TV, radio, newspaper (k$); y (200,) = sales (k units)."""
    return _load_table("advertising")


def load_study_sleep() -> tuple[np.ndarray, np.ndarray]:
    """SYNTHETIC exam results: X (100, 2) = hours studied, hours slept; y (100,) = 1.0 passed, 0.0 failed."""
    return _load_table("study_sleep")


def load_linear_1d() -> tuple[np.ndarray, np.ndarray]:
    """SYNTHETIC: X (100, 1) in [0, 100), y = 2x + 1 + N(0, 25)."""
    return _load_table("linear_1d")


def load_linear_2d() -> tuple[np.ndarray, np.ndarray]:
    """SYNTHETIC: X (100, 2) in [0, 100)^2, y = 2 x1 + 3 x2 + 1 + N(0, 25)."""
    return _load_table("linear_2d")


def load_noisy_linear() -> tuple[np.ndarray, np.ndarray]:
    """SYNTHETIC: X (100, 1) in [0, 2), y = 5 + 7x + N(0, 1)."""
    return _load_table("noisy_linear")


def load_noisy_quadratic() -> tuple[np.ndarray, np.ndarray]:
    """SYNTHETIC: X (100, 1) in [-3, 3), y = 0.5x^2 + x + 2 + N(0, 1)."""
    return _load_table("noisy_quadratic")
