"""What the course notebooks import: the learners' package.

Whose it is: learners'. Everything here is what a notebook (and so a learner) uses; the
maintainers' tooling (the ``course`` command, storing outputs, learners' versions, the seed
sweep, the kernels' environment under pytest) lives in ``course_tools`` beside it, and
nothing in ``helpers`` imports from ``course_tools`` (``tests/test_packages.py``).

Importing this package sets ``TF_CPP_MIN_LOG_LEVEL=3`` and
``TF_ENABLE_ONEDNN_OPTS=0`` (unless already set) so that TensorFlow, if a
notebook imports it afterwards, prints nothing into the stored outputs: with
tensorflow-cpu 2.21 the level alone does not silence the oneDNN notice, which
carries a timestamp and would break nbval. Turning oneDNN's custom operations
off also keeps float results independent of the CPU's instruction set.
Import ``helpers`` before ``keras``.

Modules, one concern each:

- :mod:`helpers.notebook_setup`: seeding and plot defaults for a notebook.
- :mod:`helpers.versions`: the version guard for the software stack.
- :mod:`helpers.data`: the dataset registry and one loader per dataset.
- :mod:`helpers.checks`: numerical comparisons and gradient checking.
- :mod:`helpers.plotting`: plots that many notebooks share.
- :mod:`helpers.nn`: the from-scratch NumPy neural-network library.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

from helpers import data, nn, plotting  # noqa: E402
from helpers.checks import check_close, gradient_check, numerical_gradient, relative_error  # noqa: E402
from helpers.notebook_setup import setup_notebook  # noqa: E402
from helpers.versions import check_versions  # noqa: E402

__all__ = [
    "check_close",
    "check_versions",
    "data",
    "gradient_check",
    "nn",
    "numerical_gradient",
    "plotting",
    "relative_error",
    "setup_notebook",
]
