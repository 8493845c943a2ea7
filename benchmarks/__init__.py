"""Measured performance of the course: ``python -m benchmarks`` (see ``__main__``).

Modules: :mod:`benchmarks.timing` (repeated timings), :mod:`benchmarks.workloads`
(the same networks in NumPy and Keras, FLOP counts), :mod:`benchmarks.suites` (the
measurements), :mod:`benchmarks.course` (notebook runtimes from a pytest run) and
:mod:`benchmarks.report` (figures, markdown and JSON).
"""
