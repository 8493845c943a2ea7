"""``course renumber``: notebooks are renamed and every reference to them follows."""

import subprocess

import nbformat
import pytest

from helpers.renumber import link_mentions, renumber, rewrite_markdown, rewrite_plain

MOVES = {"05_lines": "06_lines", "06_descent": "07_descent"}


def test_links_follow_their_target_and_keep_anchors_and_other_numbers():
    text = "See [notebook 05](05_lines.ipynb#The-fit), [06](06_descent.ipynb) and [notebook 04](04_calc.ipynb); 05 apples."
    assert rewrite_markdown(text, MOVES) == (
        "See [notebook 06](06_lines.ipynb#The-fit), [07](07_descent.ipynb) and [notebook 04](04_calc.ipynb); 05 apples."
    )


def test_plain_mentions_stems_and_the_course_map_are_renumbered():
    code = "x = 1  # as in notebook 05, see notebooks 05-06 (and 04, not notebook 06) and 05_lines.ipynb; 05 pages"
    assert rewrite_plain(code, MOVES) == "x = 1  # as in notebook 06, see notebooks 06-07 (and 04, not notebook 07) and 06_lines.ipynb; 05 pages"
    row = "| 05 | [Lines](notebooks/05_lines.ipynb) | fits 05 points |\n| 04 | [Calc](notebooks/04_calc.ipynb) | |"
    assert rewrite_markdown(row, MOVES) == "| 06 | [Lines](notebooks/06_lines.ipynb) | fits 05 points |\n| 04 | [Calc](notebooks/04_calc.ipynb) | |"


def test_a_chain_is_renumbered_once_not_twice():
    # 05 -> 06 and 06 -> 07 at the same time: the 05 must end as 06, not 07
    assert rewrite_plain("notebooks 05 and 06", MOVES) == "notebooks 06 and 07"
    assert rewrite_markdown("[notebook 05](05_lines.ipynb)", MOVES) == "[notebook 06](06_lines.ipynb)"


def test_plain_mentions_become_links():
    stems = {"04": "04_calc", "05": "05_lines", "06": "06_descent"}
    text = "**Before this** notebooks 04 (calculus, as notebook 05 uses it) and 05. Notebook 06's step, as [notebook 05](05_lines.ipynb) showed."
    assert link_mentions(text, stems) == (
        "**Before this** notebooks [04](04_calc.ipynb) (calculus, as [notebook 05](05_lines.ipynb) uses it) and [05](05_lines.ipynb). "
        "[Notebook 06](06_descent.ipynb)'s step, as [notebook 05](05_lines.ipynb) showed."
    )
    assert link_mentions("notebooks 04-06", stems, "notebooks/") == (
        "notebooks [04](notebooks/04_calc.ipynb)-[06](notebooks/06_descent.ipynb)"
    )
    with pytest.raises(ValueError, match="no notebook has the number 09"):
        link_mentions("see notebook 09", stems)


def write_notebook(path, *sources):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(sources[0])] + [nbformat.v4.new_code_cell(s) for s in sources[1:]])
    nbformat.write(nb, path)


@pytest.fixture
def course(tmp_path):
    (tmp_path / "notebooks").mkdir()
    write_notebook(tmp_path / "notebooks" / "05_lines.ipynb", "# 05 · Lines\n\nNext: [notebook 06](06_descent.ipynb).", "# notebook 06 steps")
    write_notebook(tmp_path / "notebooks" / "06_descent.ipynb", "# 06 · Descent\n\nAfter [notebook 05](05_lines.ipynb#Fit).")
    (tmp_path / "README.md").write_text("| 05 | [Lines](notebooks/05_lines.ipynb) | x |\n| 06 | [Descent](notebooks/06_descent.ipynb) | y |\n")
    (tmp_path / "test_x.py").write_text('SLOW = {"06_descent"}\n')
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    return tmp_path


def test_renumber_swaps_two_notebooks_everywhere(course):
    renumber(course, {"05_lines": "06_lines", "06_descent": "05_descent"})
    assert sorted(p.name for p in (course / "notebooks").iterdir()) == ["05_descent.ipynb", "06_lines.ipynb"]
    lines = nbformat.read(course / "notebooks" / "06_lines.ipynb", as_version=4)
    assert lines.cells[0].source == "# 06 · Lines\n\nNext: [notebook 05](05_descent.ipynb)."
    assert lines.cells[1].source == "# notebook 05 steps"
    descent = nbformat.read(course / "notebooks" / "05_descent.ipynb", as_version=4)
    assert descent.cells[0].source == "# 05 · Descent\n\nAfter [notebook 06](06_lines.ipynb#Fit)."
    assert (course / "README.md").read_text() == (
        "| 06 | [Lines](notebooks/06_lines.ipynb) | x |\n| 05 | [Descent](notebooks/05_descent.ipynb) | y |\n"
    )
    assert (course / "test_x.py").read_text() == 'SLOW = {"05_descent"}\n'


@pytest.mark.parametrize(
    "moves, message",
    [
        ({"07_nothing": "08_nothing"}, "no notebook 07_nothing.ipynb"),
        ({"05_lines": "5_lines"}, "is not NN_snake_case"),
        ({"05_lines": "06_lines"}, "share the number"),
    ],
)
def test_bad_moves_are_refused_before_anything_changes(course, moves, message):
    with pytest.raises(ValueError, match=message):
        renumber(course, moves)
    assert sorted(p.name for p in (course / "notebooks").iterdir()) == ["05_lines.ipynb", "06_descent.ipynb"]
