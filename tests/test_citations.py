"""``course link-citations`` (course_tools.citations): REFERENCES.md's entries get anchors named by
their authors and year, and a notebook's citations become links to them, once and for all."""

import nbformat
import pytest

from course_tools.citations import CitationError, link_all, link_citations, main, parse_references, with_anchors

REFERENCES = """# References

- Kingma, D. P., & Ba, J. (2014). Adam: A method for stochastic optimization.
- Kingma, D. P., & Welling, M. (2013). Auto-encoding variational Bayes.
- Simonyan, K., Vedaldi, A., & Zisserman, A. (2013). Deep inside convolutional networks.
- Simonyan, K., & Zisserman, A. (2014). Very deep convolutional networks.
- Géron, A. (2022). *Hands-On Machine Learning*. O'Reilly Media.
- U.S. Census Bureau (1995). *Frequently occurring first names*.
- Stanford CS231n: *Convolutional Neural Networks for Visual Recognition*, course notes.
"""


@pytest.fixture
def references():
    return parse_references(with_anchors(REFERENCES))


def test_entries_get_anchors_from_their_authors_and_year():
    anchored = with_anchors(REFERENCES)
    assert '- <a id="kingma-ba-2014"></a> Kingma, D. P., & Ba, J. (2014).' in anchored
    ids = [line.split('"')[1] for line in anchored.splitlines() if line.startswith("- ")]
    assert ids == ["kingma-ba-2014", "kingma-welling-2013", "simonyan-et-al-2013", "simonyan-zisserman-2014",
                   "geron-2022", "us-census-bureau-1995", "stanford-cs231n"]
    assert with_anchors(anchored) == anchored


def test_two_entries_with_one_anchor_are_refused():
    with pytest.raises(CitationError, match=r"share the anchors \['kingma-ba-2014'\]"):
        parse_references(REFERENCES + "- Kingma, D., & Ba, J. (2014). Another paper.\n")


def test_citations_become_links_to_their_own_entries(references):
    text = ("Adam (Kingma & Ba, 2014; see [References](../REFERENCES.md)) and VAEs (Kingma & Welling, 2013); "
            "maps (Simonyan et al., 2013; Simonyan & Zisserman, 2014, section 2). As Géron (2022) says; "
            "names (US Census Bureau, 1995).")
    assert link_citations(text, references) == (
        "Adam ([Kingma & Ba, 2014](../REFERENCES.md#kingma-ba-2014)) and VAEs "
        "([Kingma & Welling, 2013](../REFERENCES.md#kingma-welling-2013)); maps "
        "([Simonyan et al., 2013](../REFERENCES.md#simonyan-et-al-2013); "
        "[Simonyan & Zisserman, 2014](../REFERENCES.md#simonyan-zisserman-2014), section 2). "
        "As [Géron (2022)](../REFERENCES.md#geron-2022) says; "
        "names ([US Census Bureau, 1995](../REFERENCES.md#us-census-bureau-1995))."
    )


def test_linking_twice_changes_nothing(references):
    once = link_citations("(Kingma & Ba, 2014) and Géron (2022)", references)
    assert link_citations(once, references) == once != "(Kingma & Ba, 2014) and Géron (2022)"


def test_code_mathematics_links_and_unknown_works_are_left_alone(references):
    text = ("`(Kingma & Ba, 2014)` and $f(Kingma, 2014)$ and [Kingma & Ba, 2014](x.md) and "
            "(Smith & Jones, 2014), (Kingma & Ba, 2015), (Simonyan, 2013)\n\n```\n(Kingma & Ba, 2014)\n```")
    assert link_citations(text, references) == text


def test_the_see_references_tail_goes_only_where_the_citation_is_linked(references):
    kept = "(Smith, 2014; see [References](../REFERENCES.md))"
    assert link_citations(kept, references) == kept


def test_a_citation_that_names_two_entries_is_refused():
    twins = parse_references("- Ba, J. (2014). One.\n- Ba, J., & Kingma, D. (2014). Two.\n")
    assert link_citations("(Ba & Kingma, 2014)", twins) == "([Ba & Kingma, 2014](../REFERENCES.md#ba-kingma-2014))"
    doubled = [*twins, twins[0].__class__("ba-2014-b", ("Ba",), "2014", "- Ba (2014)")]
    with pytest.raises(CitationError, match="Ba, 2014 names 2 entries"):
        link_citations("(Ba, 2014)", doubled)


def test_link_all_writes_anchors_and_notebook_markdown_only(tmp_path, capsys):
    (tmp_path / "REFERENCES.md").write_text(REFERENCES, encoding="utf-8")
    (tmp_path / "notebooks").mkdir()
    path = tmp_path / "notebooks" / "21_optimizers.ipynb"
    cells = [nbformat.v4.new_markdown_cell("Adam (Kingma & Ba, 2014)."), nbformat.v4.new_code_cell("# (Kingma & Ba, 2014)")]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    assert main([], repo=tmp_path) == 0
    assert "2 file(s) changed, 1 notebook(s) checked" in capsys.readouterr().out
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].source == "Adam ([Kingma & Ba, 2014](../REFERENCES.md#kingma-ba-2014))."
    assert nb.cells[1].source == "# (Kingma & Ba, 2014)"
    assert '<a id="kingma-ba-2014">' in (tmp_path / "REFERENCES.md").read_text(encoding="utf-8")
    assert link_all([path], repo=tmp_path) == ([], [])


def test_a_citation_of_a_work_not_listed_is_reported(tmp_path, capsys):
    (tmp_path / "REFERENCES.md").write_text(REFERENCES, encoding="utf-8")
    path = tmp_path / "30_vae.ipynb"
    text = "VAEs (Kingma & Welling, 2013; Rezende et al., 2014), and Higgins (2017). In Keras, 2019 was"
    cells = [nbformat.v4.new_markdown_cell(text)]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    assert main([path], repo=tmp_path) == 1
    out = capsys.readouterr().out
    assert "no entry in REFERENCES.md for 30_vae.ipynb: Higgins (2017)" in out and "Rezende et al., 2014:" in out
    assert "Keras" not in out
    linked = nbformat.read(path, as_version=4).cells[0].source
    assert "[Kingma & Welling, 2013](../REFERENCES.md#kingma-welling-2013)" in linked


def test_bad_inputs_give_clear_errors(tmp_path):
    with pytest.raises(SystemExit, match="course link-citations: no REFERENCES.md in"):
        main([], repo=tmp_path)
    (tmp_path / "REFERENCES.md").write_text(REFERENCES, encoding="utf-8")
    with pytest.raises(SystemExit, match="no such notebook: .*99_missing.ipynb"):
        main([tmp_path / "99_missing.ipynb"], repo=tmp_path)
