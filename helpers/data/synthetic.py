"""Seeded generators for the course's small synthetic datasets, and the script that writes them.

These stand in for tables that tutorials use but that are not freely available
offline (the Advertising table, a student-exam table, the ``data_1d.csv`` and
``data_2d.csv`` of a well-known regression tutorial) and reproduce the usual
textbook generators of noisy linear and quadratic data. They are synthetic: made by the
formulas below, not measured. Regenerate the CSV files with::

    python -m helpers.data.synthetic

Each generator returns ``(columns, table)``: the header names and an array of
shape ``(m, len(columns))`` whose last column is the target.
"""

import sys
from pathlib import Path

import numpy as np

SEED = 2024


def make_advertising(m: int = 200, seed: int = SEED) -> tuple[list[str], np.ndarray]:
    """Advertising spend (thousands of dollars) on TV, radio and newspaper vs sales (thousands of units).

    Modelled on the shape of the ISLR Advertising table: sales grow with TV and radio
    spend, newspaper spend is correlated with radio but has no effect of its own.
    sales = 2.9 + 0.046 TV + 0.19 radio + 0 newspaper + N(0, 1.7^2).
    """
    rng = np.random.default_rng(seed)
    tv = rng.uniform(0.7, 296.4, m)
    radio = rng.uniform(0.0, 49.6, m)
    newspaper = np.clip(0.6 * radio + rng.gamma(2.0, 12.0, m), 0.3, 114.0)
    sales = 2.9 + 0.046 * tv + 0.19 * radio + 0.0 * newspaper + rng.normal(0.0, 1.7, m)
    return ["TV", "radio", "newspaper", "sales"], np.column_stack([tv, radio, newspaper, sales])


def make_study_sleep(m: int = 100, seed: int = SEED) -> tuple[list[str], np.ndarray]:
    """Hours studied and hours slept vs passed (1) or failed (0) an exam.

    Two overlapping Gaussian clouds (so no line separates them perfectly and
    maximum likelihood has a finite answer): students who passed studied more
    (6.5 h vs 4.5 h on average, sd 1.6) and slept more (7.8 h vs 5.6 h, sd 1.1).
    """
    rng = np.random.default_rng(seed)
    passed = rng.permutation(np.repeat([1.0, 0.0], [m // 2, m - m // 2]))
    studied = np.where(passed == 1, rng.normal(6.5, 1.6, m), rng.normal(4.5, 1.6, m))
    slept = np.where(passed == 1, rng.normal(7.8, 1.1, m), rng.normal(5.6, 1.1, m))
    return ["studied", "slept", "passed"], np.column_stack([np.clip(studied, 0, 12), np.clip(slept, 2, 11), passed])


def make_linear_1d(m: int = 100, seed: int = SEED) -> tuple[list[str], np.ndarray]:
    """x ~ U(0, 100), y = 2x + 1 + N(0, 5^2): the generator of a tutorial's data_1d.csv."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 100, m)
    return ["x", "y"], np.column_stack([x, 2 * x + 1 + rng.normal(0, 5, m)])


def make_linear_2d(m: int = 100, seed: int = SEED) -> tuple[list[str], np.ndarray]:
    """x1, x2 ~ U(0, 100), y = 2 x1 + 3 x2 + 1 + N(0, 5^2): the generator of data_2d.csv."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 100, (m, 2))
    y = 2 * x[:, 0] + 3 * x[:, 1] + 1 + rng.normal(0, 5, m)
    return ["x1", "x2", "y"], np.column_stack([x, y])


def make_noisy_linear(m: int = 100, seed: int = SEED) -> tuple[list[str], np.ndarray]:
    """x = 2 U(0, 1), y = 5 + 7x + N(0, 1): the classic gradient-descent example data."""
    rng = np.random.default_rng(seed)
    x = 2 * rng.random(m)
    return ["x", "y"], np.column_stack([x, 5 + 7 * x + rng.normal(0, 1, m)])


def make_noisy_quadratic(m: int = 100, seed: int = SEED) -> tuple[list[str], np.ndarray]:
    """x = 6 U(0, 1) - 3, y = 0.5 x^2 + x + 2 + N(0, 1): the classic polynomial-regression example data."""
    rng = np.random.default_rng(seed)
    x = 6 * rng.random(m) - 3
    return ["x", "y"], np.column_stack([x, 0.5 * x**2 + x + 2 + rng.normal(0, 1, m)])


GENERATORS = {
    "advertising": make_advertising,
    "study_sleep": make_study_sleep,
    "linear_1d": make_linear_1d,
    "linear_2d": make_linear_2d,
    "noisy_linear": make_noisy_linear,
    "noisy_quadratic": make_noisy_quadratic,
}


def write_csv(path: Path, columns: list[str], table: np.ndarray) -> None:
    """Write ``table`` with a header row, 6 decimals, Unix newlines (byte-for-byte reproducible)."""
    np.savetxt(path, table, fmt="%.6f", delimiter=",", header=",".join(columns), comments="", newline="\n")


def write_all(directory: Path) -> list[Path]:
    """Write every synthetic dataset as ``<name>.csv`` into ``directory``; return the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, generator in GENERATORS.items():
        columns, table = generator()
        path = directory / f"{name}.csv"
        write_csv(path, columns, table)
        paths.append(path)
    return paths


if __name__ == "__main__":
    from helpers.data.registry import data_dir

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else data_dir() / "synthetic"
    for written in write_all(target):
        print(written)
