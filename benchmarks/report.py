"""Turn the measurements into figures, a markdown report and a JSON file, and judge the targets."""

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from benchmarks.timing import median  # noqa: E402

NOTEBOOK_BUDGET_S = 60
PYTEST_BUDGET_S = 300
MEMORY_BUDGET_MB = 2048
MLP_CEILING_FRACTION = 0.85
MLP_PEER_SPEEDUP = 1.2
CONV_TIME_RATIO = 1.25
CNN_ACCURACY = {"from-scratch CNN": 0.985, "Keras CNN": 0.992}  # on MNIST, for every seed, in a notebook within budget
PEER_LABELS = {"keras_onednn_off": "Keras, oneDNN off", "keras_onednn_on": "Keras, oneDNN on"}
COMPILE_LABELS = {"mlp": "defaults", "mlp_spe32": "steps_per_execution=32",
                  "mlp_spe32_xla": "steps_per_execution=32, XLA"}


def keras_mlp_label(key: str) -> str:
    """``"keras_onednn_on/mlp_spe32"`` -> ``"Keras, oneDNN on, steps_per_execution=32"``."""
    peer, _, workload = key.partition("/")
    return f"{PEER_LABELS[peer]}, {COMPILE_LABELS[workload]}"


def targets(results: dict) -> list[dict]:
    """The issue's targets, each with the measured value and whether it is met (and by how much it is missed).

    Every row whose measurement is in ``results`` appears; the rest are left out.
    """
    rows = []
    mlp, conv, course = results.get("mlp"), results.get("conv"), results.get("course")
    if mlp:
        fraction, bound = mlp["scratch"]["fraction_of_ceiling"], mlp["products_only"]["fraction_of_ceiling"]
        rows.append({"target": f"from-scratch MLP >= {MLP_CEILING_FRACTION:.0%} of the float32 matmul ceiling",
                     "measured": f"{fraction:.0%} (its matrix products alone: {bound:.0%})",
                     "met": fraction >= MLP_CEILING_FRACTION})
        if "faster_peer" in mlp:
            ratio = mlp["scratch_over_peer"]
            rows.append({"target": f"from-scratch MLP >= {MLP_PEER_SPEEDUP}x the samples/s of the faster Keras",
                         "measured": f"{ratio:.2f}x {keras_mlp_label(mlp['faster_peer'])}", "met": ratio >= MLP_PEER_SPEEDUP})
    if conv and "keras_onednn_off" in conv:
        ratio = conv["keras_onednn_off"]["scratch_time_over"]
        also = f"; {conv['keras_onednn_on']['scratch_time_over']:.2f}x with oneDNN on" if "keras_onednn_on" in conv else ""
        rows.append({"target": f"im2col convolution within {CONV_TIME_RATIO}x of Keras' time (oneDNN off)",
                     "measured": f"{ratio:.2f}x{also}", "met": ratio <= CONV_TIME_RATIO})
    for name, entry in results.get("course_cnns", {}).get("models", {}).items():
        if name not in CNN_ACCURACY:
            continue
        seeds = results["course_cnns"]["seeds"]
        runtime = (course or {}).get("notebooks", {}).get(entry["notebook"])
        in_budget = runtime is not None and runtime <= NOTEBOOK_BUDGET_S  # not timed: not shown to be met
        which = f"seeds {seeds[0]}-{seeds[-1]}" if len(seeds) > 1 else f"seed {seeds[0]}"
        rows.append({"target": f"{name} >= {CNN_ACCURACY[name]:.1%} MNIST test accuracy for {which}, "
                               f"its notebook within {NOTEBOOK_BUDGET_S} s",
                     "measured": f"worst seed {entry['worst_accuracy']:.2%} after {entry['epochs']} epochs; "
                                 + (f"{entry['notebook']} {runtime:.1f} s" if runtime is not None
                                    else f"{entry['notebook']} not timed in this run"),
                     "met": entry["worst_accuracy"] >= CNN_ACCURACY[name] and in_budget})
    if course and course.get("notebooks"):
        runtimes = course["notebooks"]
        slowest = max(runtimes.items(), key=lambda item: item[1])
        rows.append({"target": f"every notebook within {NOTEBOOK_BUDGET_S} s alone", "met": slowest[1] <= NOTEBOOK_BUDGET_S,
                     "measured": f"slowest {slowest[0]}: {slowest[1]:.1f} s; median {median(runtimes.values()):.1f} s"})
    if course and course.get("peak_mb"):
        largest = max(course["peak_mb"].items(), key=lambda item: item[1])
        rows.append({"target": f"every notebook's kernel under {MEMORY_BUDGET_MB / 1024:.0f} GB",
                     "met": largest[1] < MEMORY_BUDGET_MB and not course.get("notebooks_failed"),
                     "measured": f"largest {largest[0]}: {largest[1]:,.0f} MB"
                                 + (f"; failed: {', '.join(course['notebooks_failed'])}" if course.get("notebooks_failed") else "")})
    if course and course.get("pytest"):
        failed = course["pytest"].get("failed")
        rows.append({"target": f"whole pytest within {PYTEST_BUDGET_S} s", "met": course["pytest"]["seconds"] <= PYTEST_BUDGET_S,
                     "measured": f"{course['pytest']['seconds']:.0f} s ({course['pytest']['summary']})"
                                 + (f"; failed: {', '.join(failed)}" if failed else "")})
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
        course = results["course"]
        names = list(course["notebooks"])
        panels = [("seconds under nbval", "Notebook runtimes", course["notebooks"], NOTEBOOK_BUDGET_S, "s")]
        if course.get("peak_mb"):
            panels.append(("kernel peak memory (MB)", "Kernel memory", course["peak_mb"], MEMORY_BUDGET_MB, "MB"))
        fig, axes = plt.subplots(1, len(panels), figsize=(6 * len(panels), 0.25 * len(names) + 1.2), squeeze=False)
        for ax, (xlabel, title, values, budget, unit) in zip(axes[0], panels):
            heights = [values.get(name, 0.0) for name in names]
            ax.barh(names, heights, color=["C3" if h > budget else "C0" for h in heights])
            ax.axvline(budget, color="C3", linestyle="--", label=f"{budget} {unit} budget")
            ax.invert_yaxis()
            ax.set(xlabel=xlabel, title=title)
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


METHOD = ("Competing measurements run in rounds, one turn each per round, the order rotating from round to round; "
          "Keras runs in two processes of its own (TensorFlow reads `TF_ENABLE_ONEDNN_OPTS` once, at import), "
          "which time their own turns while the benchmark waits on a pipe, so only one turn runs at a time. "
          "Timings are medians with (min-max, number of runs). A ratio is the median over rounds of the ratio "
          "within each round, so a load drift that lasts longer than a round cancels out.")


def markdown(results: dict, figure_files: dict[str, str]) -> str:
    """The report as markdown."""
    machine = results["machine"]
    peers = "; ".join(f"{PEER_LABELS[name]}: `TF_ENABLE_ONEDNN_OPTS={int(name.endswith('_on'))}`, TensorFlow reports "
                      f"oneDNN {'on' if info['onednn'] else 'off'}" for name, info in results.get("peers", {}).items())
    lines = [f"# Performance report ({results['mode']} mode)", "",
             f"Measured {machine['date']} on {machine['cpu']} ({machine['cores']} cores), Python {machine['python']}, "
             f"NumPy {machine['numpy']} ({machine.get('blas', 'BLAS not recorded')}), TensorFlow {machine['tensorflow']}, "
             f"Keras {machine['keras']}.", "",
             (f"Peers: {peers or 'none'}. The course's notebooks run with oneDNN off, for reproducible outputs; "
              "TensorFlow switches it on by default on Linux x86 (the variable unset), so that is what a learner who "
              "picks Keras gets. The from-scratch code is held against the faster."), "", METHOD, "",
             "## Targets", "", "| target | measured | met |", "|---|---|---|"]
    lines += [f"| {row['target']} | {row['measured']} | {'yes' if row['met'] else '**no**'} |" for row in targets(results)]
    if "ceiling" in results:
        c = results["ceiling"]
        lines += ["", "## Ceiling", "", f"NumPy float32 {c['n']}x{c['n']} matmul: **{c['gflops']:.1f} GFLOP/s** "
                  f"({_timing(c['timing'])} per product)."]
    if "mlp" in results:
        m = results["mlp"]
        rows = [("from scratch (helpers.nn)", m["scratch"]), ("its matrix products alone", m["products_only"])]
        rows += [(keras_mlp_label(key), entry) for key, entry in m.get("keras", {}).items()]
        lines += _section("MLP training, same work",
                          (f"{'-'.join(map(str, m['layers']))} ReLU MLP, SGD, batch {m['batch_size']}, one epoch of "
                           f"{m['n_samples']} MNIST images per turn, in the same rounds as the ceiling's product "
                           f"({m['ceiling_gflops_same_turns']:.1f} GFLOP/s in these rounds). FLOPs: "
                           f"{m['flop_formula']} = {m['flops_per_sample']:,} per image. \"Products alone\" runs only "
                           "the matrix products of the epoch, into preallocated arrays: what any NumPy MLP needs at "
                           f"these shapes. The from-scratch epoch takes {m['scratch_time_over_products']:.2f}x its "
                           f"products' time: {1 - 1 / m['scratch_time_over_products']:.0%} of it goes to everything "
                           "else (bias, ReLU, loss, update, batch gathering, allocations, Python). Keras runs "
                           "each way a learner may compile it: its defaults (one batch per call into TensorFlow; "
                           "Keras 3 leaves XLA off for TensorFlow on the CPU), 32 batches per call "
                           "(`steps_per_execution=32`, as the course's Keras notebooks do), and that with the "
                           "training step compiled by XLA (`jit_compile=True`). The from-scratch MLP is held "
                           "against the fastest."),
                          ["", "epoch time", "samples/s", "GFLOP/s", "of the ceiling", "from scratch is"],
                          [[label, _timing(entry["timing"]), f"{entry['samples_per_s']:,.0f}", f"{entry['gflops']:.1f}",
                            f"{entry['fraction_of_ceiling']:.0%}",
                            f"{entry['scratch_speedup']:.2f}x as fast" if "scratch_speedup" in entry else ""]
                           for label, entry in rows])
    if "conv" in results:
        c = results["conv"]
        names = {"scratch": "from-scratch im2col", **{name: f"keras.layers.Conv2D ({PEER_LABELS[name]})"
                                                      for name in PEER_LABELS if name in c}}
        lines += _section("Convolution forward + backward",
                          (f"Input {tuple(c['shape'])}, {c['filters']} filters 3x3, 'same' padding: y, dL/dx, dL/dW "
                           "and dL/db. FLOPs: 3 products of 2 n h w k^2 c_in c_out each."),
                          ["", "time", "GFLOP/s", "from scratch takes"],
                          [[label, _timing(c[key]["timing"]), f"{c[key]['gflops']:.1f}",
                            f"{c[key]['scratch_time_over']:.2f}x its time" if "scratch_time_over" in c[key] else ""]
                           for key, label in names.items()])
    if "vectorization" in results:
        v = results["vectorization"]
        lines += ["", "## Loops vs NumPy (notebook 02's examples)", "", f"n = {v['n']:,}.", "",
                  "| operation | Python loop | NumPy | speed-up |", "|---|---|---|---|"]
        lines += [f"| {name} | {_timing(e['loop'])} | {_timing(e['numpy'])} | {e['speedup']:,.0f}x |" for name, e in v["cases"].items()]
    if "accuracy_per_second" in results:
        a = results["accuracy_per_second"]
        lines += ["", "## Accuracy per second", "", (f"{a['n_train']:,} training images, {a['n_test']:,} test images, batch {a['batch_size']}; each model "
                   "trained after the other, Keras in the benchmark's own process (oneDNN off, the course's setting); "
                   "only training is timed."), "",
                  f"![accuracy per second]({figure_files['accuracy']})", "", "| model | training time | test accuracy |", "|---|---|---|"]
        lines += [f"| {name} | {curve['train_seconds'][-1]:.1f} s | {curve['test_accuracy'][-1]:.4f} |" for name, curve in a["curves"].items()]
    if "course_cnns" in results:
        cnns = results["course_cnns"]
        lines += _section("The course's CNNs over seeds",
                          (f"Each CNN retrained as its notebook trains it (same model, recipe and epochs) on the "
                           f"notebooks' split: the first {cnns['n_train']:,} training images, tested once on "
                           f"{cnns['n_test']:,}. The seed draws the initial weights (and Keras' shuffles); "
                           "training time in this process, oneDNN off."),
                          ["model", "notebook", "epochs", *(f"seed {seed}" for seed in cnns["seeds"]), "worst",
                           "training time (median)"],
                          [[name, entry["notebook"], str(entry["epochs"]),
                            *(f"{run['test_accuracy']:.2%}" for run in entry["runs"]), f"{entry['worst_accuracy']:.2%}",
                            f"{median(run['train_seconds'] for run in entry['runs']):.1f} s"]
                           for name, entry in cnns["models"].items()])
    if "scaling" in results:
        s = results["scaling"]
        lines += ["", "## Scaling", "", f"![scaling]({figure_files['scaling']})", "", "| samples | " + " | ".join(map(str, s["sizes"])) + " | exponent |",
                  "|---|" + "---|" * (len(s["sizes"]) + 1)]
        lines += [f"| {name} | " + " | ".join(f"{t:.2f} s" for t in s[name]["seconds"]) + f" | {s[name]['exponent']:.2f} |"
                  for name in ("from-scratch MLP", "Keras MLP")]
    if "course" in results:
        c = results["course"]
        whole = (f"Whole `pytest` ({c['pytest']['summary']}): {c['pytest']['seconds']:.0f} s. " if "pytest" in c else "")
        memory = ("Peak memory: the kernel's peak resident set (Linux's `VmHWM` high-water mark, or the kernel and its "
                  "child processes at a 0.1 s poll, whichever is larger), each notebook in its own "
                  "`pytest notebooks/NN_x.ipynb -n 0`. " if "peak_mb" in c else "")
        lines += ["", "## The course", "", f"{whole}Notebooks timed {c['notebooks_measured']}. {memory}".strip(), ""]
        if "course" in figure_files:
            lines += [f"![notebook runtimes]({figure_files['course']})", ""]
        peaks = c.get("peak_mb", {})
        lines += ["| notebook | seconds under nbval | kernel peak memory |", "|---|---|---|"]
        lines += [f"| {name} | {seconds:.1f} | {f'{peaks[name]:,.0f} MB' if name in peaks else ''} |"
                  for name, seconds in c["notebooks"].items()]
        if c.get("notebooks_failed"):
            lines += ["", f"**These notebooks failed when run alone: {', '.join(c['notebooks_failed'])}.**"]
    return "\n".join(lines) + "\n"


def write(results: dict, out_dir: Path) -> Path:
    """Write results.json, the figures and report.md into ``out_dir``; return the report's path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    results = {**results, "targets": targets(results)}
    (out_dir / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    report = out_dir / "report.md"
    report.write_text(markdown(results, figures(results, out_dir)))
    return report
