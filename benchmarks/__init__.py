"""Measured performance of the course: ``python -m benchmarks`` (see ``__main__``).

Modules: :mod:`benchmarks.timing` (repeated timings, turns in rounds, paired ratios),
:mod:`benchmarks.workloads` (the same networks in NumPy and Keras, FLOP counts),
:mod:`benchmarks.peer` (Keras in a process of its own, oneDNN off or on),
:mod:`benchmarks.mnist_models` (the models of the accuracy-per-second figure),
:mod:`benchmarks.suites` (the measurements), :mod:`benchmarks.course` (notebook runtimes
from a pytest run, kernels' peak memory) and :mod:`benchmarks.report` (figures, markdown and JSON).
"""
