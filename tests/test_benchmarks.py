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
