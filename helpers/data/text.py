"""Loader for the vendored text dataset: first names from the 1990 US Census (public domain).

The raw files (``datasets/census-names/dist.{female,male}.first``) are kept byte for
byte; each line is ``NAME  frequency%  cumulative%  rank``. The loader keeps only the
first column, lower-cases it, and removes the names listed in both files.
"""

from helpers.data.registry import verified_path

_FILES = {"female": "census-names/dist.female.first", "male": "census-names/dist.male.first"}


def _read_names(relative: str) -> list[str]:
    with open(verified_path("census_names", relative), encoding="ascii") as handle:
        return [line.split()[0].lower() for line in handle if line.strip()]


def load_first_names(sex: str = "all") -> list[str]:
    """Load the US Census 1990 first names as lower-case strings.

    Args:
        sex: ``"female"`` (4,275 names), ``"male"`` (1,219) or ``"all"`` (the union:
            5,163 distinct names; 331 appear in both lists).

    Returns:
        A list of distinct names in alphabetical order, each 2 to 11 letters ``a``-``z``
        (no spaces, hyphens or accents). Shuffle before splitting it.

    Raises:
        ValueError: ``sex`` is not one of the three choices.
        DatasetError: a file is missing or corrupted (the message says which and how to fix it).
    """
    if sex not in ("all", *_FILES):
        raise ValueError(f"sex must be 'all', 'female' or 'male', not {sex!r}")
    chosen = _FILES.values() if sex == "all" else [_FILES[sex]]
    return sorted({name for relative in chosen for name in _read_names(relative)})
