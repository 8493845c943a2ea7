"""Turn the measurements into figures, a markdown report and a JSON file, and judge the targets."""

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

NOTEBOOK_BUDGET_S = 60
PYTEST_BUDGET_S = 600


def targets(results: dict) -> list[dict]:
    """The issue's targets, each with the measured value and whether it is met (and by how much it is missed)."""
    rows = []
    mlp, conv = results.get("mlp"), results.get("conv")
    if mlp:
        ratio, fraction = mlp["scratch_over_keras"], mlp["scratch"]["fraction_of_ceiling"]
        rows.append({"target": "from-scratch MLP throughput >= Keras", "measured": f"{ratio:.2f}x Keras",
                     "met": ratio >= 1.0})
        rows.append({"target": "from-scratch MLP >= 60% of the matmul ceiling", "measured": f"{fraction:.0%}",
                     "met": fraction >= 0.6})
    if conv:
        ratio = conv["scratch_time_over_keras"]
        rows.append({"target": "im2col convolution within 3x of Keras' time", "measured": f"{ratio:.2f}x Keras' time",
                     "met": ratio <= 3.0})
    course = results.get("course")
    if course:
        slowest = max(course["notebooks"].items(), key=lambda item: item[1])
        rows.append({"target": f"every notebook within {NOTEBOOK_BUDGET_S} s", "met": slowest[1] <= NOTEBOOK_BUDGET_S,
                     "measured": f"slowest {slowest[0]}: {slowest[1]:.1f} s"})
        rows.append({"target": f"whole pytest within {PYTEST_BUDGET_S} s", "met": course["pytest"]["seconds"] <= PYTEST_BUDGET_S,
                     "measured": f"{course['pytest']['seconds']:.0f} s ({course['pytest']['summary']})"})
    return rows


def figures(results: dict, out_dir: Path) -> dict[str, str]:
    """Write the PNG figures; return name -> file name."""
    written = {}
    if "accuracy_per_second" in results:
        fig, ax = plt.subplots(figsize=(6, 4))
        for name, curve in results["accuracy_per_second"]["curves"].items():
            ax.plot(curve["train_seconds"], curve["test_accuracy"], marker="o", label=name)
        ax.set(xlabel="cumulative training time (s)", ylabel="MNIST test accuracy", title="Accuracy per second")
        ax.legend()
        written["accuracy"] = _save(fig, out_dir / "accuracy_per_second.png")
    if "scaling" in results:
        fig, ax = plt.subplots(figsize=(6, 4))
        sizes = results["scaling"]["sizes"]
        for name in ("from-scratch MLP", "Keras MLP"):
            entry = results["scaling"][name]
            ax.loglog(sizes, entry["seconds"], marker="o", label=f"{name} (exponent {entry['exponent']:.2f})")
        ax.set(xlabel="training samples", ylabel="seconds per epoch", title="Scaling with the data size")
        ax.legend()
        written["scaling"] = _save(fig, out_dir / "scaling.png")
    if "course" in results:
        names, seconds = zip(*results["course"]["notebooks"].items())
        fig, ax = plt.subplots(figsize=(6, 0.25 * len(names) + 1.2))
        ax.barh(names, seconds, color=["C3" if s > NOTEBOOK_BUDGET_S else "C0" for s in seconds])
        ax.axvline(NOTEBOOK_BUDGET_S, color="C3", linestyle="--", label=f"{NOTEBOOK_BUDGET_S} s budget")
        ax.invert_yaxis()
        ax.set(xlabel="seconds under nbval", title="Notebook runtimes")
        ax.legend()
        written["course"] = _save(fig, out_dir / "notebook_runtimes.png")
    return written


def _save(fig, path: Path) -> str:
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return path.name


def _timing(entry: dict) -> str:
    return f"{entry['median'] * 1e3:.1f} ms ({entry['min'] * 1e3:.1f}-{entry['max'] * 1e3:.1f}, n={len(entry['runs'])})"


def _section(title: str, intro: str, columns: list[str], rows: list[list[str]]) -> list[str]:
    """A report section: heading, one line of context, and a markdown table."""
    table = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    return ["", f"## {title}", "", intro, "", *table, *("| " + " | ".join(row) + " |" for row in rows)]


def markdown(results: dict, figure_files: dict[str, str]) -> str:
    """The report as markdown."""
    machine = results["machine"]
    lines = [f"# Performance report ({results['mode']} mode)", "",
             f"Measured {machine['date']} on {machine['cpu']} ({machine['cores']} cores), Python {machine['python']}, "
             f"NumPy {machine['numpy']} ({machine.get('blas', 'BLAS not recorded')}), TensorFlow {machine['tensorflow']}, "
             f"Keras {machine['keras']}. "
             "Timings are medians with (min-max, number of runs); ratios come from the same run.", "",
             "## Targets", "", "| target | measured | met |", "|---|---|---|"]
    lines += [f"| {row['target']} | {row['measured']} | {'yes' if row['met'] else '**no**'} |" for row in targets(results)]
    if "ceiling" in results:
        c = results["ceiling"]
        lines += ["", "## Ceiling", "", f"NumPy float32 {c['n']}x{c['n']} matmul: **{c['gflops']:.1f} GFLOP/s** "
                  f"({_timing(c['timing'])} per product)."]
    if "mlp" in results:
        m = results["mlp"]
        lines += _section("MLP training, same work",
                          f"{'-'.join(map(str, m['layers']))} ReLU MLP, SGD, batch {m['batch_size']}, "
                          f"one epoch of {m['n_samples']} MNIST images, the two timed in turns with the ceiling's "
                          f"matmul ({m['ceiling_gflops_same_turns']:.1f} GFLOP/s in these turns; the from-scratch MLP "
                          f"reached {m['scratch']['fraction_of_ceiling']:.0%} of it).",
                          ["", "epoch time", "samples/s", "GFLOP/s"],
                          [[name, _timing(m[key]["timing"]), f"{m[key]['samples_per_s']:,.0f}", f"{m[key]['gflops']:.1f}"]
                           for name, key in (("from scratch (helpers.nn)", "scratch"), ("Keras", "keras"))])
    if "conv" in results:
        c = results["conv"]
        lines += _section("Convolution forward + backward",
                          f"Input {tuple(c['shape'])}, {c['filters']} filters 3x3, 'same' padding.",
                          ["", "time", "GFLOP/s"],
                          [[name, _timing(c[key]["timing"]), f"{c[key]['gflops']:.1f}"]
                           for name, key in (("from-scratch im2col", "scratch"), ("keras.layers.Conv2D", "keras"))])
    if "vectorization" in results:
        v = results["vectorization"]
        lines += ["", "## Loops vs NumPy (notebook 02's examples)", "", f"n = {v['n']:,}.", "",
                  "| operation | Python loop | NumPy | speed-up |", "|---|---|---|---|"]
        lines += [f"| {name} | {_timing(e['loop'])} | {_timing(e['numpy'])} | {e['speedup']:,.0f}x |" for name, e in v["cases"].items()]
    if "accuracy_per_second" in results:
        a = results["accuracy_per_second"]
        lines += ["", "## Accuracy per second", "", f"{a['n_train']:,} training images, {a['n_test']:,} test images, batch {a['batch_size']}.", "",
                  f"![accuracy per second]({figure_files['accuracy']})", "", "| model | training time | test accuracy |", "|---|---|---|"]
        lines += [f"| {name} | {curve['train_seconds'][-1]:.1f} s | {curve['test_accuracy'][-1]:.4f} |" for name, curve in a["curves"].items()]
    if "scaling" in results:
        s = results["scaling"]
        lines += ["", "## Scaling", "", f"![scaling]({figure_files['scaling']})", "", "| samples | " + " | ".join(map(str, s["sizes"])) + " | exponent |",
                  "|---|" + "---|" * (len(s["sizes"]) + 1)]
        lines += [f"| {name} | " + " | ".join(f"{t:.2f} s" for t in s[name]["seconds"]) + f" | {s[name]['exponent']:.2f} |"
                  for name in ("from-scratch MLP", "Keras MLP")]
    if "course" in results:
        c = results["course"]
        lines += ["", "## The course", "", f"Whole `pytest` ({c['pytest']['summary']}): {c['pytest']['seconds']:.0f} s. "
                  f"Notebooks timed {c['notebooks_measured']}.", "",
                  f"![notebook runtimes]({figure_files['course']})", "", "| notebook | seconds under nbval |", "|---|---|"]
        lines += [f"| {name} | {seconds:.1f} |" for name, seconds in c["notebooks"].items()]
        if c.get("notebooks_exit_code"):
            lines += ["", f"**The run of the notebooks alone failed (pytest exit code {c['notebooks_exit_code']}).**"]
    return "\n".join(lines) + "\n"


def write(results: dict, out_dir: Path) -> Path:
    """Write results.json, the figures and report.md into ``out_dir``; return the report's path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    results = {**results, "targets": targets(results)}
    (out_dir / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    report = out_dir / "report.md"
    report.write_text(markdown(results, figures(results, out_dir)))
    return report
