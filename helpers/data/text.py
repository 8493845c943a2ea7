"""Loader for the vendored text dataset: first names from the 1990 US Census (public domain).

The raw files (``datasets/census-names/dist.{female,male}.first``) are kept byte for
byte; each line is ``NAME  frequency%  cumulative%  rank``. The loader keeps only the
first column, lower-cases it, and removes the names listed in both files.
"""

import numpy as np

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


PAD, END = 0, 1  # token ids: padding (never predicted) and the "." that starts and ends a name


def character_vocabulary(names: list[str]) -> list[str]:
    """Return the token table of a character-level model of ``names``: id -> character.

    Id 0 is the padding ``""``, id 1 the marker ``"."`` that starts and ends each name, then
    the characters that occur in ``names``, sorted (27 tokens in all for the census names).
    """
    return ["", "."] + sorted(set("".join(names)))


def encode_names(names: list[str], vocabulary: list[str], seq_len: int) -> tuple:
    """Encode names for next-character prediction, as notebook 32 builds it.

    Returns:
        ``(X, Y)``, int32 arrays of shape ``(len(names), seq_len)``: ``X`` holds the ids of
        ``"." + name`` and ``Y`` those of ``name + "."`` (``Y`` is ``X`` shifted left by one),
        both padded with ``PAD`` (0) on the right.

    Raises:
        ValueError: a name is too long for ``seq_len`` (it needs ``len(name) + 1``), or holds
            a character that is not in ``vocabulary``.
    """
    ids = {char: i for i, char in enumerate(vocabulary)}
    X = np.zeros((len(names), seq_len), np.int32)
    Y = np.zeros((len(names), seq_len), np.int32)
    for row, name in enumerate(names):
        if len(name) + 1 > seq_len:
            raise ValueError(f"{name!r} needs {len(name) + 1} positions but seq_len is {seq_len}; pass a larger seq_len")
        unknown = sorted(set(name) - set(ids))
        if unknown:
            raise ValueError(f"{name!r} holds {unknown}, which are not in the vocabulary; build it from these names")
        tokens = [ids[char] for char in name]
        X[row, : len(tokens) + 1] = [END] + tokens
        Y[row, : len(tokens) + 1] = tokens + [END]
    return X, Y
