"""Loaded by every pytest run in this repository, unit tests and nbval alike, before any kernel starts.

Kernels inherit this process's environment: pin it so they compute what ``course store``
computed (see :mod:`helpers.kernel_environment`). Do not set MPLBACKEND here: the kernels
need matplotlib's inline backend to produce the stored figures.
"""

from helpers.kernel_environment import set_kernel_environment

set_kernel_environment()
