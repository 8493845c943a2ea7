"""Loaders for the tables: the small synthetic ones and the real Palmer penguins table.

Each synthetic loader (see :mod:`helpers.data.synthetic` for how each table is made)
returns ``(X, y)`` with examples in rows: ``X`` is float64 of shape ``(m, n_features)``
(2-D even for one feature) and ``y`` is float64 of shape ``(m,)``. Column names are in
the matching ``*_FEATURES`` constant. :func:`load_penguins` returns a pandas DataFrame,
missing values and text columns included, as the file holds them.
"""

from typing import TYPE_CHECKING

import numpy as np

from helpers.data.registry import verified_path

if TYPE_CHECKING:
    import pandas as pd

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


PENGUINS_COLUMNS = ("species", "island", "bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "sex", "year")


def load_penguins() -> "pd.DataFrame":
    """The Palmer penguins table (real data, CC0): a pandas DataFrame of shape (344, 8), one row per penguin.

    Columns (:data:`PENGUINS_COLUMNS`), as the file holds them:

    - ``species``: text, ``Adelie`` (152), ``Chinstrap`` (68) or ``Gentoo`` (124);
    - ``island``: text, ``Biscoe``, ``Dream`` or ``Torgersen``;
    - ``bill_length_mm``, ``bill_depth_mm``, ``flipper_length_mm``, ``body_mass_g``: float64,
      each missing (NaN) for 2 penguins;
    - ``sex``: text, ``female`` or ``male``, missing (NaN) for 11 penguins;
    - ``year``: int64, 2007, 2008 or 2009.

    Missing values are written ``NA`` in the file and read as NaN.

    Raises:
        DatasetError: the file is missing or altered (the message says how to restore it).
        ImportError: pandas is not installed (it is in requirements.txt).
    """
    try:
        import pandas as pd  # only this loader needs pandas; the others work without it
    except ImportError as error:
        raise ImportError("load_penguins() needs pandas; install the course's versions with "
                          "`python -m pip install -r requirements.txt`") from error
    path = verified_path("penguins", "penguins/penguins.csv")
    return pd.read_csv(path, na_values=["NA"], keep_default_na=False)
