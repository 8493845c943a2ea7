"""``python -m benchmarks``: measure the course's performance on this machine and write a report.

    python -m benchmarks                      # full run, about 25 minutes, into benchmarks/results/
    python -m benchmarks --skip-course        # without re-running the whole pytest
    python -m benchmarks --course-junit ci.xml  # take the course's runtimes from a finished pytest run
    python -m benchmarks --course-junit ci.xml --memory  # ... and run each notebook alone for its peak memory
    python -m benchmarks --write-runtimes alone.xml  # only write runtimes into the README map and headers
    python -m benchmarks --tiny --out /tmp/b  # seconds; what the test suite runs so this cannot rot

It writes ``report.md``, ``results.json`` and PNG figures to the output folder.
"""

import argparse
import contextlib
import datetime
import os
import platform
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402
from threadpoolctl import threadpool_info  # noqa: E402

from benchmarks import course, report, runtime_docs, suites, workloads  # noqa: E402
from benchmarks.peer import Peer  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
FULL = {"repeats": 7, "matmul_n": 2048, "mlp_samples": 20_000, "conv": (64, 28, 16, 32), "vector_n": 1_000_000,
        "accuracy": (20_000, 10_000, 5), "scaling": [5_000, 10_000, 20_000, 60_000],
        "course_cnns": {"sizes": (55_000, 10_000), "seeds": [0, 1, 2, 3, 4], "n_epochs": None}}
TINY = {"repeats": 2, "matmul_n": 256, "mlp_samples": 512, "conv": (4, 8, 2, 4), "vector_n": 10_000,
        "accuracy": (512, 256, 1), "scaling": [256, 512],
        "course_cnns": {"sizes": (512, 256), "seeds": [0], "n_epochs": 1}}


def machine() -> dict:
    """What the numbers were measured on."""
    import keras
    import tensorflow as tf

    cpu = platform.processor() or platform.machine()
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    pools = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]  # SciPy may load a second BLAS
    blas = next((pool for pool in pools if "numpy" in pool["filepath"]), pools[0] if pools else {})
    return {"date": datetime.date.today().isoformat(), "cpu": cpu, "cores": os.cpu_count(),
            "python": platform.python_version(), "numpy": np.__version__, "tensorflow": tf.__version__,
            "keras": keras.__version__, "blas": f"{blas.get('internal_api', '?')} {blas.get('version', '?')}, "
            f"{blas.get('architecture', '?')} kernels, {blas.get('num_threads', '?')} threads"}


def run(tiny: bool, skip_course: bool, out_dir: Path, course_junit: Path | None = None, memory: bool = False) -> Path:
    """Run every measurement and write the report; return its path.

    The course is measured unless ``skip_course``; ``course_junit`` or ``memory`` measure
    (part of) it anyway, see :func:`measure_course`.
    """
    size = TINY if tiny else FULL
    repeats = size["repeats"]
    with contextlib.ExitStack() as stack:
        print("starting the Keras peers (oneDNN off and on) ...", flush=True)
        peers = {name: stack.enter_context(Peer(onednn, size["mlp_samples"], size["conv"], workloads.BATCH_SIZE))
                 for name, onednn in (("keras_onednn_off", 0), ("keras_onednn_on", 1))}
        results = {"mode": "tiny" if tiny else "full", "machine": machine()}  # while the peers import TensorFlow
        results["peers"] = {name: peer.info for name, peer in peers.items()}
        for name, measure in [
            ("ceiling", lambda: suites.matmul_ceiling(size["matmul_n"], repeats)),
            ("mlp", lambda: suites.mlp_throughput(*workloads.mnist_flat(size["mlp_samples"], 1)[:2], workloads.BATCH_SIZE,
                                                  repeats, size["matmul_n"], peers)),
            ("conv", lambda: suites.conv_throughput(*size["conv"], repeats, peers)),
        ]:
            print(f"measuring {name} ...", flush=True)
            results[name] = measure()
    steps = [
        ("vectorization", lambda: suites.vectorization(size["vector_n"], repeats)),
        ("accuracy_per_second", lambda: suites.accuracy_per_second(
            workloads.mnist_flat(*size["accuracy"][:2]), size["accuracy"][2])),
        ("course_cnns", lambda: suites.course_cnns(workloads.mnist_flat(*size["course_cnns"]["sizes"]),
                                                   size["course_cnns"]["seeds"], n_epochs=size["course_cnns"]["n_epochs"])),
        ("scaling", lambda: suites.scaling(*workloads.mnist_flat(max(size["scaling"]), 1)[:2], size["scaling"], workloads.BATCH_SIZE,
                                           max(1, repeats - 2))),
    ]
    for name, measure in steps:
        print(f"measuring {name} ...", flush=True)
        results[name] = measure()
    if course_junit is not None or memory or not skip_course:
        results["course"] = measure_course(out_dir, course_junit, memory or not skip_course)
    return report.write(results, out_dir)


def measure_course(out_dir: Path, course_junit: Path | None, memory: bool) -> dict:
    """The course's runtimes and, with ``memory``, every notebook run alone for its kernel's peak memory.

    With ``course_junit`` the whole pytest's time and the notebooks' runtimes come from that
    report; without it the README's ``pytest`` runs here (two workers, as CI does), and the
    runtimes come from the notebooks run one at a time (each with the machine to itself).
    """
    course_data: dict = {}
    if course_junit is not None:
        course_data.update(pytest=course.pytest_summary(course_junit), notebooks=course.notebook_runtimes(course_junit),
                           notebooks_measured=f"in the pytest run of {course_junit.name}")
    else:
        out_dir.mkdir(parents=True, exist_ok=True)
        print("running the whole pytest ...", flush=True)
        course_data["pytest"] = course.run_pytest(out_dir / "pytest-junit.xml", [], REPO)
        (out_dir / "pytest-junit.xml").unlink(missing_ok=True)
    if memory:
        print("running every notebook alone (runtime and kernel memory) ...", flush=True)
        alone = course.run_notebooks_alone(sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")), REPO,
                                           out_dir / "notebooks-alone")
        (out_dir / "notebooks-alone").rmdir()
        course_data["peak_mb"] = {stem: entry["peak_mb"] for stem, entry in alone.items()}
        course_data["notebooks_failed"] = sorted(stem for stem, entry in alone.items() if entry["exit_code"])
        if course_junit is None:
            course_data.update(notebooks={stem: entry["seconds"] for stem, entry in alone.items()},
                               notebooks_measured="one at a time, each in its own `pytest notebooks/NN_x.ipynb -n 0`, "
                                                  "so each had the machine to itself")
    return course_data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tiny", action="store_true", help="tiny sizes, for the test suite (implies --skip-course)")
    parser.add_argument("--skip-course", action="store_true", help="do not run the whole pytest")
    parser.add_argument("--course-junit", type=Path, help="JUnit report of a finished `pytest` run to read the course's runtimes from")
    parser.add_argument("--memory", action="store_true",
                        help="run every notebook alone for its kernel's peak memory (a full run does it anyway; "
                             "use with --course-junit or --skip-course)")
    parser.add_argument("--write-runtimes", type=Path, metavar="JUNIT",
                        help="write the notebook runtimes of this JUnit report (a `pytest notebooks -n 0` run on the idle "
                             "machine) into the README's course map and the notebooks' headers, and measure nothing else")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results", help="output folder")
    args = parser.parse_args(argv)
    if args.write_runtimes:
        changed = runtime_docs.write_runtimes(course.notebook_runtimes(args.write_runtimes), REPO / "README.md",
                                              REPO / "notebooks")
        print(f"runtimes changed for: {', '.join(changed) or 'none'}")
        return 0
    path = run(args.tiny, args.skip_course or args.tiny, args.out, args.course_junit, args.memory and not args.tiny)
    print(f"report written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
