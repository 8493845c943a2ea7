"""The benchmark command runs end to end in tiny mode (so it cannot rot); no absolute time is asserted."""

import json
import subprocess
import sys

import numpy as np
import psutil
import pytest

from benchmarks import report
from benchmarks.course import failed_tests, is_kernel, notebook_runtimes, parse_vm_hwm, pytest_summary, watch_kernel_peak
from benchmarks.mnist_models import MNIST_MODELS, MnistModel
from benchmarks.suites import accuracy_per_second
from benchmarks.timing import Timing, paired_ratio, time_repeated, time_turns
from benchmarks.workloads import KERAS_MLP_COMPILE_OPTIONS, mlp_train_flops_per_sample, mnist_flat

from conftest import REPO


def test_tiny_benchmark_writes_report_json_and_figures(tmp_path):
    completed = subprocess.run([sys.executable, "-m", "benchmarks", "--tiny", "--out", str(tmp_path)],
                               cwd=REPO, capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stderr[-2000:]
    results = json.loads((tmp_path / "results.json").read_text())
    for key in ("peers", "ceiling", "mlp", "conv", "vectorization", "accuracy_per_second", "course_cnns", "scaling",
                "targets"):
        assert key in results, f"results.json lacks {key}"
    assert results["mlp"]["scratch"]["samples_per_s"] > 0 and results["ceiling"]["gflops"] > 0
    # each peer process really ran with the oneDNN setting it was given
    assert [results["peers"][name]["onednn"] for name in ("keras_onednn_off", "keras_onednn_on")] == [False, True]
    assert set(results["mlp"]["keras"]) == {f"{peer}/{workload}" for peer in ("keras_onednn_off", "keras_onednn_on")
                                            for workload in KERAS_MLP_COMPILE_OPTIONS}
    assert results["mlp"]["faster_peer"] in results["mlp"]["keras"]
    assert set(results["accuracy_per_second"]["curves"]) == {model.name for model in MNIST_MODELS}
    assert set(results["course_cnns"]["models"]) == {model.name for model in MNIST_MODELS if model.notebook}
    assert any(row["target"].startswith("Keras CNN >= 99.2%") for row in results["targets"])
    text = (tmp_path / "report.md").read_text()
    assert "## Targets" in text and "of the float32 matmul ceiling" in text and "`TF_ENABLE_ONEDNN_OPTS=1`" in text
    assert (tmp_path / "accuracy_per_second.png").is_file() and (tmp_path / "scaling.png").is_file()


def test_notebook_runtimes_sum_cells_per_notebook(tmp_path):
    junit = tmp_path / "junit.xml"
    junit.write_text(
        '<testsuites><testsuite name="pytest">'
        '<testcase classname="notebooks.00_intro.ipynb" name="Cell 0" time="1.5" />'
        '<testcase classname="notebooks.00_intro.ipynb" name="Cell 1" time="0.5" />'
        '<testcase classname="notebooks.01_more.ipynb" name="Cell 0" time="3.0" />'
        '<testcase classname="tests.test_data" name="test_x" time="9.0" />'
        "</testsuite></testsuites>"
    )
    assert notebook_runtimes(junit) == {"00_intro": 2.0, "01_more": 3.0}
    assert failed_tests(junit) == []
    assert pytest_summary(junit)["summary"] == "0 passed, 0 failed, 0 skipped"
    junit.write_text('<testsuites><testsuite name="pytest"></testsuite></testsuites>')
    with pytest.raises(ValueError, match="no nbval test cases"):
        notebook_runtimes(junit)
    junit.write_text('<testsuites><testsuite name="pytest"><testcase classname="tests.test_x" name="test_a">'
                     '<failure message="boom" /></testcase><testcase classname="tests.test_x" name="test_b" />'
                     "</testsuite></testsuites>")
    assert failed_tests(junit) == ["tests.test_x::test_a"]


def test_timing_median_and_bad_arguments():
    assert Timing((3.0, 1.0, 2.0)).median == 2.0 and Timing((1.0, 2.0, 3.0, 4.0)).median == 2.5
    assert len(time_repeated(lambda: None, repeats=3).runs) == 3
    with pytest.raises(ValueError, match="repeats >= 1"):
        time_repeated(lambda: None, repeats=0)


def test_turns_rotate_and_ratios_pair_rounds():
    calls = []
    timings = time_turns({name: (lambda name=name: calls.append(name) or 1.0) for name in "abc"}, repeats=3, warmup=0)
    assert calls == ["a", "b", "c", "b", "c", "a", "c", "a", "b"]
    assert timings["a"].runs == (1.0, 1.0, 1.0)
    # a slow spell in round 2 slows both; the paired ratio stays 2, the ratio of medians would not
    slow, fast = Timing((2.0, 20.0, 2.0, 2.0)), Timing((1.0, 10.0, 1.0, 1.0))
    assert paired_ratio(slow, fast) == 2.0
    with pytest.raises(ValueError, match="same rounds"):
        paired_ratio(slow, Timing((1.0,)))


def test_peak_memory_reader():
    status = "Name:\tpython3\nVmPeak:\t 900000 kB\nVmHWM:\t  524288 kB\nVmRSS:\t  1024 kB\n"
    assert parse_vm_hwm(status) == 524288 * 1024
    assert parse_vm_hwm("Name:\tpython3\nVmRSS:\t 1024 kB\n") is None
    assert is_kernel(["/venv/bin/python3", "-m", "ipykernel_launcher", "-f", "/tmp/k.json"])
    assert not is_kernel(["/venv/bin/python3", "-m", "pytest", "notebooks/00_intro.ipynb"])


def test_kernel_peak_is_read_from_the_watched_process_tree():
    # a stand-in "kernel" (its command line names ipykernel) that touches 150 MiB, started by a stand-in pytest
    kernel = "x = bytearray(150 * 2**20); import time; time.sleep(0.5)"
    runner = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {kernel!r}, 'ipykernel_launcher'])"
    peak = watch_kernel_peak(psutil.Popen([sys.executable, "-c", runner]), poll_seconds=0.02)
    assert 150 * 2**20 <= peak < 400 * 2**20
    assert watch_kernel_peak(psutil.Popen([sys.executable, "-c", "pass"])) == 0  # no kernel ran


def test_accuracy_suite_runs_every_entry_and_times_training_only():
    trained = []

    def train(model, X, y, epoch):
        trained.append((model["name"], X.shape, epoch))

    models = [MnistModel("flat", lambda seed, steps: {"name": "flat", "steps": steps}, train, lambda m, X, y: 0.5, (784,)),
              MnistModel("image", lambda seed, steps: {"name": "image"}, train, lambda m, X, y: 0.75, (28, 28, 1))]
    data = (np.zeros((300, 784), np.float32), np.zeros(300, np.int64), np.zeros((10, 784), np.float32), np.zeros(10, np.int64))
    result = accuracy_per_second(data, n_epochs=2, models=models)
    assert trained == [("flat", (300, 784), 0), ("flat", (300, 784), 1),
                       ("image", (300, 28, 28, 1), 0), ("image", (300, 28, 28, 1), 1)]
    assert result["curves"]["image"]["test_accuracy"] == [0.75, 0.75]
    seconds = result["curves"]["flat"]["train_seconds"]
    assert len(seconds) == 2 and 0 <= seconds[0] <= seconds[1]


def test_flop_count_and_data_sizes():
    assert mlp_train_flops_per_sample((4, 3, 2)) == 4 * (4 * 3) + 6 * (3 * 2)  # no dX for the first layer
    with pytest.raises(ValueError, match="n_train must be in 1..60000"):
        mnist_flat(0, 10)


def test_targets_report_every_target_met_or_missed():
    results = {
        "mlp": {"scratch": {"fraction_of_ceiling": 0.80}, "products_only": {"fraction_of_ceiling": 0.9},
                "faster_peer": "keras_onednn_on/mlp_spe32_xla", "scratch_over_peer": 1.3},
        "conv": {"keras_onednn_off": {"scratch_time_over": 1.3}, "keras_onednn_on": {"scratch_time_over": 2.5}},
        "course": {"notebooks": {"00_a": 10.0, "01_b": 70.0, "02_c": 20.0}, "peak_mb": {"00_a": 300.0, "01_b": 2100.0},
                   "pytest": {"seconds": 250.0, "summary": "9 passed"}},
    }
    rows = report.targets(results)
    assert [row["met"] for row in rows] == [False, True, False, False, False, True]
    assert rows[0]["measured"] == "80% (its matrix products alone: 90%)"
    assert rows[1]["measured"] == "1.30x Keras, oneDNN on, steps_per_execution=32, XLA"
    assert rows[2]["measured"] == "1.30x; 2.50x with oneDNN on"
    assert rows[3]["measured"] == "slowest 01_b: 70.0 s; median 20.0 s"
    assert rows[4]["target"] == "every notebook's kernel under 2 GB" and rows[4]["measured"] == "largest 01_b: 2,100 MB"
    assert "300 s" in rows[5]["target"]
    results["course"]["peak_mb"]["01_b"] = 1000.0
    assert report.targets(results)[4]["met"]
    results["course"]["notebooks_failed"] = ["02_c"]
    assert not report.targets(results)[4]["met"], "a notebook that failed has no trustworthy peak"


def _course_copy(tmp_path, stems_and_seconds):
    """A README with one course-map row per stem and the sentence under the map, and a header per notebook."""
    import nbformat

    row = "| {n} | [Title](notebooks/{stem}.ipynb) | arrays | {s} s | ready |\n"
    rows = "".join(row.format(n=stem[:2], stem=stem, s=s) for stem, s in stems_and_seconds.items())
    sentence = ("Runtimes measured on 2026-01-01 on a machine; together the 9 notebooks take 99 s one after "
                "another (median 9 s, slowest 99 s). Expect longer.\n")
    readme = tmp_path / "README.md"
    readme.write_text("# Course\n" + rows + "\n" + sentence)
    for stem in stems_and_seconds:
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
            "# Intro\n**Runs in** about 5 s on the course's machine")])
        nbformat.write(notebook, tmp_path / f"{stem}.ipynb")
    return readme


def test_write_runtimes_records_the_file_and_writes_header_map_and_summary_from_it(tmp_path):
    from benchmarks.runtime_docs import header_runtime, map_runtimes, read_runtimes, shown_seconds, write_runtimes

    readme = _course_copy(tmp_path, {"00_intro": 2, "01_more": 3})
    runtimes_file = tmp_path / "runtimes.json"
    changed = write_runtimes({"00_intro": 11.2, "01_more": 2.5}, readme, tmp_path, runtimes_file, machine="box")
    assert changed == ["00_intro", "01_more", "summary"]
    record = read_runtimes(runtimes_file)
    assert record["seconds"] == {"00_intro": 11.2, "01_more": 2.5} and record["machine"] == "box"
    assert map_runtimes(readme) == {"00_intro": 12, "01_more": 3}
    assert (header_runtime(tmp_path / "00_intro.ipynb"), header_runtime(tmp_path / "01_more.ipynb")) == (12, 3)
    assert f"measured on {record['measured']} on a machine; together the 2 notebooks take 14 s one after " \
           "another (median 7 s, slowest 12 s)." in readme.read_text()
    assert write_runtimes({"00_intro": 11.3}, readme, tmp_path, runtimes_file, machine="box") == []
    assert write_runtimes({"01_more": 7.5}, readme, tmp_path, runtimes_file, machine="box") == ["01_more", "summary"]
    assert read_runtimes(runtimes_file)["seconds"] == {"00_intro": 11.3, "01_more": 7.5}  # 00 not measured: kept
    assert (shown_seconds(0.4), shown_seconds(5.0), shown_seconds(5.01)) == (1, 5, 6)


def test_write_runtimes_refuses_what_it_cannot_place(tmp_path):
    from benchmarks.runtime_docs import write_runtimes

    readme = _course_copy(tmp_path, {"00_intro": 2})
    runtimes_file = tmp_path / "runtimes.json"
    with pytest.raises(ValueError, match="no runtimes given"):
        write_runtimes({}, readme, tmp_path, runtimes_file, machine="box")
    with pytest.raises(ValueError, match="no row in the README's course map for 01_more"):
        write_runtimes({"00_intro": 3.0, "01_more": 4.0}, readme, tmp_path, runtimes_file, machine="box")
    readme = _course_copy(tmp_path, {"00_intro": 2, "01_more": 3})
    (tmp_path / "runtimes.json").unlink()
    with pytest.raises(ValueError, match="no runtime for 01_more"):
        write_runtimes({"00_intro": 3.0}, readme, tmp_path, runtimes_file, machine="box")
    readme.write_text(readme.read_text().replace("together the", "all the"))
    with pytest.raises(ValueError, match="no sentence"):
        write_runtimes({"00_intro": 3.0, "01_more": 4.0}, readme, tmp_path, runtimes_file, machine="box")


def test_headers_course_map_and_summary_agree_with_the_runtimes_file():
    """The one source: every notebook's header and map row show its recorded runtime, in the same form."""
    from pathlib import Path

    from benchmarks.runtime_docs import RUNTIMES_FILE, SUMMARY, header_runtime, map_runtimes, read_runtimes, \
        shown_seconds, summary

    repo = Path(__file__).resolve().parents[1]
    record = read_runtimes(repo / RUNTIMES_FILE)
    notebooks = sorted(path.stem for path in (repo / "notebooks").glob("*.ipynb"))
    assert sorted(record["seconds"]) == notebooks, f"{RUNTIMES_FILE} must list every notebook, and only those"
    in_map = map_runtimes(repo / "README.md")
    disagree = [f"{stem}: file {shown_seconds(seconds)} s, header {header_runtime(repo / 'notebooks' / f'{stem}.ipynb')} s, "
                f"map {in_map.get(stem)} s" for stem, seconds in record["seconds"].items()
                if not shown_seconds(seconds) == in_map.get(stem) == header_runtime(repo / "notebooks" / f"{stem}.ipynb")]
    assert not disagree, "runtimes disagree; run `python -m benchmarks.runtime_docs`:\n" + "\n".join(disagree)
    sentence = SUMMARY.search((repo / "README.md").read_text(encoding="utf-8"))
    facts = summary(record["seconds"])
    assert sentence and (sentence[2], *map(int, (sentence[4], sentence[6], sentence[8], sentence[10]))) == (
        record["measured"], facts["count"], facts["total"], facts["median"], facts["slowest"]
    ), "the README sentence under the map disagrees with the runtimes file; run `python -m benchmarks.runtime_docs`"
