"""One call at the top of every notebook: seeds, plot defaults, version guard."""

import os
import random

import matplotlib as mpl
import numpy as np

from helpers.versions import check_versions

PLOT_DEFAULTS = {
    "figure.figsize": (6.0, 4.0),
    "figure.dpi": 100,  # sharp enough on a high-resolution screen, and each notebook stays under 2 MB
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "image.cmap": "viridis",
}

SEED_VARIABLE = "COURSE_SEED"


def seed_override() -> int | None:
    """Return the seed in the ``COURSE_SEED`` environment variable, or None when it is unset or empty.

    ``course seeds`` sets it to rerun a notebook under other seeds; a learner can set it
    too (``COURSE_SEED=3 jupyter lab``) to see which results depend on the seed.

    Raises:
        ValueError: the variable holds something other than a non-negative integer.
    """
    text = os.environ.get(SEED_VARIABLE, "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise ValueError(f"{SEED_VARIABLE}={text!r} is not a non-negative integer; set it to one (for example 3) or unset it")
    return int(text)


def setup_notebook(seed: int = 0, *, keras: bool = False) -> np.random.Generator:
    """Make a notebook reproducible and consistent, and return its NumPy generator.

    The ``COURSE_SEED`` environment variable, when set, takes the place of ``seed``
    (see :func:`seed_override`): every notebook can be rerun under another seed
    without editing it.

    Seeds Python's ``random`` and NumPy's legacy global RNG (which some libraries
    still use), sets the course's matplotlib defaults and checks the versions of
    the stack. With ``keras=True`` it also imports Keras (after TensorFlow's C++
    log has been silenced by importing :mod:`helpers`) and calls
    ``keras.utils.set_random_seed(seed)``, which makes CPU training repeatable.

    Args:
        seed: a non-negative integer; ``COURSE_SEED`` overrides it.
        keras: also seed Keras and TensorFlow, and check their versions.

    Returns:
        ``np.random.default_rng(seed)``: use it for every random number the notebook draws.

    Raises:
        ValueError: ``seed`` (or ``COURSE_SEED``) is not a non-negative int.
        RuntimeError: the installed stack is outside the supported versions.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    override = seed_override()
    seed = seed if override is None else override
    check_versions(["numpy", "scikit-learn", "matplotlib"] + (["keras", "tensorflow"] if keras else []))
    random.seed(seed)
    np.random.seed(seed)  # only for libraries that still draw from the global RNG
    mpl.rcParams.update(PLOT_DEFAULTS)
    if keras:
        import keras as keras_module

        keras_module.utils.set_random_seed(seed)
    return np.random.default_rng(seed)
