"""Previous / next links: generated from file names and titles, replaced rather than stacked."""

import nbformat
import pytest

from course_tools.navigation import MARKER, NAVIGATION_TAG, stale_navigation, write_navigation


def write(path, title):
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(f"# {title}\n\nWhy it matters.")]), path)


def test_links_are_written_once_and_follow_a_new_neighbour(tmp_path):
    write(tmp_path / "01_one.ipynb", "01 · One")
    write(tmp_path / "03_three.ipynb", "03 · Three")
    assert stale_navigation(tmp_path) == ["01_one.ipynb", "03_three.ipynb"]
    write_navigation(tmp_path)
    assert stale_navigation(tmp_path) == [] and write_navigation(tmp_path) == []
    one = nbformat.read(tmp_path / "01_one.ipynb", as_version=4)
    line = f"{MARKER}\n[Course map](../README.md#course-map) | [03 · Three →](03_three.ipynb)"
    assert one.cells[0].source == f"# 01 · One\n\nWhy it matters.\n\n{line}"
    assert one.cells[-1].source == line and one.cells[-1].metadata["tags"] == [NAVIGATION_TAG] and len(one.cells) == 2

    write(tmp_path / "02_two.ipynb", "02 · Two")
    assert stale_navigation(tmp_path) == ["01_one.ipynb", "02_two.ipynb", "03_three.ipynb"]
    write_navigation(tmp_path)
    one = nbformat.read(tmp_path / "01_one.ipynb", as_version=4)
    assert one.cells[0].source.count(MARKER) == 1 and len(one.cells) == 2
    assert one.cells[-1].source.endswith("[02 · Two →](02_two.ipynb)")
    two = nbformat.read(tmp_path / "02_two.ipynb", as_version=4)
    assert two.cells[-1].source == f"{MARKER}\n[← 01 · One](01_one.ipynb) | [Course map](../README.md#course-map) | [03 · Three →](03_three.ipynb)"


def test_a_notebook_without_a_numbered_title_is_refused(tmp_path):
    write(tmp_path / "01_one.ipynb", "One")
    with pytest.raises(ValueError, match="01_one.ipynb: the first cell must start with '# NN · Title'"):
        write_navigation(tmp_path)
