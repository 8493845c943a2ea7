"""The benchmark command runs end to end in tiny mode (so it cannot rot); no absolute time is asserted."""

import json
import subprocess
import sys

import pytest

from benchmarks import report
from benchmarks.course import notebook_runtimes, pytest_summary
from benchmarks.timing import Timing, time_repeated
from benchmarks.workloads import mlp_train_flops_per_sample, mnist_flat

from conftest import REPO


def test_tiny_benchmark_writes_report_json_and_figures(tmp_path):
    completed = subprocess.run([sys.executable, "-m", "benchmarks", "--tiny", "--out", str(tmp_path)],
                               cwd=REPO, capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stderr[-2000:]
    results = json.loads((tmp_path / "results.json").read_text())
    for key in ("ceiling", "mlp", "conv", "vectorization", "accuracy_per_second", "scaling", "targets"):
        assert key in results, f"results.json lacks {key}"
    assert results["mlp"]["scratch"]["samples_per_s"] > 0 and results["ceiling"]["gflops"] > 0
    text = (tmp_path / "report.md").read_text()
    assert "## Targets" in text and "from-scratch MLP throughput" in text
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
    assert pytest_summary(junit)["summary"] == "0 passed, 0 failed, 0 skipped"
    junit.write_text('<testsuites><testsuite name="pytest"></testsuite></testsuites>')
    with pytest.raises(ValueError, match="no nbval test cases"):
        notebook_runtimes(junit)


def test_timing_median_and_bad_arguments():
    assert Timing((3.0, 1.0, 2.0)).median == 2.0 and Timing((1.0, 2.0, 3.0, 4.0)).median == 2.5
    assert len(time_repeated(lambda: None, repeats=3).runs) == 3
    with pytest.raises(ValueError, match="repeats >= 1"):
        time_repeated(lambda: None, repeats=0)


def test_flop_count_and_data_sizes():
    assert mlp_train_flops_per_sample((4, 3, 2)) == 4 * (4 * 3) + 6 * (3 * 2)  # no dX for the first layer
    with pytest.raises(ValueError, match="n_train must be in 1..60000"):
        mnist_flat(0, 10)


def test_targets_report_misses():
    rows = report.targets({"mlp": {"scratch_over_keras": 0.5, "scratch": {"gflops": 10.0, "fraction_of_ceiling": 0.1}},
                           "conv": {"scratch_time_over_keras": 4.0}})
    assert [row["met"] for row in rows] == [False, False, False]
    assert rows[0]["measured"] == "0.50x Keras" and rows[1]["measured"] == "10%"


def test_write_runtimes_updates_measured_rows_and_headers_only(tmp_path):
    import nbformat

    from benchmarks.runtime_docs import header_seconds, write_runtimes

    readme = tmp_path / "README.md"
    row = "| 00 | [Intro](notebooks/00_intro.ipynb) | arrays | {} s | ready |\n"
    readme.write_text("# Course\n" + row.format(2) + "after\n")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "# Intro\n**Runs in** about 5 s on the course's machine")])
    nbformat.write(notebook, tmp_path / "00_intro.ipynb")

    assert write_runtimes({"00_intro": 11.2}, readme, tmp_path) == ["00_intro"]
    assert readme.read_text() == "# Course\n" + row.format(12) + "after\n"
    assert "**Runs in** about 15 s on" in nbformat.read(tmp_path / "00_intro.ipynb", as_version=4).cells[0].source
    assert write_runtimes({"00_intro": 11.9}, readme, tmp_path) == []
    assert (header_seconds(0.4), header_seconds(5.0), header_seconds(5.1)) == (5, 5, 10)
    with pytest.raises(ValueError, match="no row in the README's course map for 01_more"):
        write_runtimes({"00_intro": 3.0, "01_more": 4.0}, readme, tmp_path)
    readme.write_text(row.format(2) + row.format(3).replace("00", "01").replace("Intro", "More"))
    assert write_runtimes({"00_intro": 7.5}, readme, tmp_path) == ["00_intro"]  # 01 not measured: kept
    assert readme.read_text() == row.format(8) + row.format(3).replace("00", "01").replace("Intro", "More")
    with pytest.raises(ValueError, match="no runtimes given"):
        write_runtimes({}, readme, tmp_path)
