"""``course site``: the website built from the stored outputs has every page, every figure with
alt text, links that lead somewhere within the site, and mathematics left as TeX for MathJax,
which the site carries itself (nothing is fetched from the network)."""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import nbformat
import pytest
from bs4 import BeautifulSoup
from conftest import NOTEBOOK_DIR, REPO

from course_tools.anchors import HEADING, github_id, jupyterlab_id, without_code
from course_tools.cli import main
from course_tools.site import SiteError, build_site, figure_alt

NUMPY_NOTEBOOK = NOTEBOOK_DIR / "06_simple_linear_regression.ipynb"
KERAS_NOTEBOOK = NOTEBOOK_DIR / "26_cnns_in_keras.ipynb"
DOCUMENT_PAGES = ["index.html", "REFERENCES.html", "NOTATION.html", "datasets/README.html"] + [
    f"{path.stem}.html" for path in REPO.glob("*.md") if path.stem.lower() == "glossary"
]
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def pages_of(site: Path) -> list[Path]:
    return sorted(path for path in site.rglob("*.html") if "_static" not in path.parts)


class PageScan(HTMLParser):
    """The ids of a page, and the attributes of its images, links, scripts and stylesheets."""

    def __init__(self, text: str):
        super().__init__()
        self.ids, self.tags = set(), []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag in ("a", "img", "script", "link"):
            self.tags.append((tag, attributes))


def ids_of(page: Path) -> set[str]:
    return PageScan(page.read_text(encoding="utf-8")).ids


def site_problems(site: Path) -> list[str]:
    """Images without alt text or file, and local links, stylesheets and scripts whose file or
    #fragment is not in the site; a page that loads anything from the network."""
    scans = {page.resolve(): PageScan(page.read_text(encoding="utf-8")) for page in pages_of(site)}
    problems = []
    for page, scan in scans.items():
        name = page.relative_to(site.resolve()).as_posix()
        for tag, attributes in scan.tags:
            url = attributes.get("src") or attributes.get("href")
            if tag == "img" and not (attributes.get("alt") or "").strip():
                problems.append(f"{name}: an image without alt text ({(url or '')[:60]})")
            if not url or url.startswith("data:"):
                continue
            if EXTERNAL.match(url) or url.startswith("//"):
                if tag != "a":
                    problems.append(f"{name}: loads {url} from the network")
                continue
            file_part, _, fragment = url.partition("#")
            file_part = file_part.split("?")[0]  # MathJax.js?config=...
            target = (page.parent / unquote(file_part)).resolve() if file_part else page
            if not target.is_file() or not target.is_relative_to(site.resolve()):
                problems.append(f"{name}: {url} leads to no file of the site")
            elif fragment and target.suffix == ".html" and unquote(fragment) not in scans[target].ids:
                problems.append(f"{name}: {url}: {target.name} has no element with that id")
    return problems


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A site of one NumPy notebook and one Keras notebook, with every markdown page."""
    out = tmp_path_factory.mktemp("site")
    build_site(out, notebooks=[NUMPY_NOTEBOOK, KERAS_NOTEBOOK])
    return out


def test_the_pages_exist(site):
    expected = DOCUMENT_PAGES + ["notebooks/06_simple_linear_regression.html", "notebooks/26_cnns_in_keras.html"]
    assert [page for page in expected if not (site / page).is_file()] == []
    assert (site / "_static" / "site.css").is_file() and (site / "_static" / "mathjax" / "MathJax.js").is_file()


def test_images_links_and_anchors_resolve_except_to_notebooks_left_out(site):
    built = {"06_simple_linear_regression", "26_cnns_in_keras"}
    left_out = {path.stem for path in NOTEBOOK_DIR.glob("*.ipynb")} - built
    page_left_out = re.compile(rf"\b({'|'.join(left_out)})\.html")
    problems = [problem for problem in site_problems(site) if not page_left_out.search(problem)]
    assert problems == []


def test_every_figure_is_on_the_page_with_alt_text(site):
    for notebook in (NUMPY_NOTEBOOK, KERAS_NOTEBOOK):
        nb = nbformat.read(notebook, as_version=4)
        figures = sum("image/png" in out.get("data", {}) for cell in nb.cells for out in cell.get("outputs", []))
        soup = BeautifulSoup((site / "notebooks" / f"{notebook.stem}.html").read_text(encoding="utf-8"), "html.parser")
        images = soup.find_all("img")
        assert len(images) == figures > 0
        assert all(len(image["alt"]) > 20 and (site / "notebooks" / image["src"]).is_file() for image in images)


def test_heading_ids_are_the_anchors_links_name(site):
    """JupyterLab's ids on notebook pages, GitHub's on the markdown pages (tests/test_links.py)."""
    markdown = "\n\n".join(c.source for c in nbformat.read(NUMPY_NOTEBOOK, as_version=4).cells if c.cell_type == "markdown")
    notebook_ids = {jupyterlab_id(heading) for heading in HEADING.findall(without_code(markdown))}
    assert notebook_ids <= ids_of(site / "notebooks" / "06_simple_linear_regression.html")
    readme = without_code((REPO / "README.md").read_text(encoding="utf-8"))
    readme_ids = {github_id(heading) for heading in HEADING.findall(readme)}
    assert "course-map" in readme_ids and readme_ids <= ids_of(site / "index.html")


def test_notebook_pages_link_previous_next_and_the_course_map(site):
    def nav_links(name):
        soup = BeautifulSoup((site / "notebooks" / name).read_text(encoding="utf-8"), "html.parser")
        navs = soup.find_all("nav")
        assert len(navs) == 2  # at the top and at the bottom
        return [a["href"] for a in navs[0].find_all("a")]

    assert nav_links("06_simple_linear_regression.html") == ["../index.html#course-map", "26_cnns_in_keras.html"]
    assert nav_links("26_cnns_in_keras.html") == ["06_simple_linear_regression.html", "../index.html#course-map"]
    index = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    hrefs = [a["href"] for a in index.find_all("a", href=True)]
    local = [h for h in hrefs if not h.startswith(("http://", "https://"))]  # Binder's address names a notebook
    assert "notebooks/06_simple_linear_regression.html" in local and not [h for h in local if ".ipynb" in h]


def test_mathematics_stays_tex_for_the_local_mathjax(site):
    page = (site / "notebooks" / "06_simple_linear_regression.html").read_text(encoding="utf-8")
    assert r"$\hat y = wx + b$" in page
    assert '<script src="../_static/mathjax/MathJax.js?config=' in page
    notation = (site / "NOTATION.html").read_text(encoding="utf-8")
    assert "$x^{(i)}$" in notation and '<script src="_static/mathjax/MathJax.js?config=' in notation


def test_solutions_are_folded(site):
    soup = BeautifulSoup((site / "notebooks" / "06_simple_linear_regression.html").read_text(encoding="utf-8"), "html.parser")
    solutions = sum("solution" in c.metadata.get("tags", []) for c in nbformat.read(NUMPY_NOTEBOOK, as_version=4).cells)
    assert len(soup.select("details.course-solution")) == solutions > 0


def test_figure_alt_comes_from_titles_the_introducing_sentence_or_a_comment():
    cells = [
        nbformat.v4.new_markdown_cell("## Costs\n\nWe fit it. The figure below shows the `cost_history` per [epoch](x.ipynb)."),
        nbformat.v4.new_code_cell('fig, ax = plt.subplots()\nax.set_title("Cost")\nfig.suptitle(f"lr {lr}")'),
        nbformat.v4.new_code_cell("# the weights as images\nplt.imshow(w)"),
    ]
    assert figure_alt(cells, 1) == "Figure: Cost; lr …. The figure below shows the cost_history per epoch."
    assert figure_alt([cells[2]], 0) == "the weights as images"
    assert figure_alt([nbformat.v4.new_code_cell("plt.plot(x)")], 0) == "Figure drawn by code cell 0"
    tex = r"The plot shows $\eta_t = \eta_0 \cdot \tfrac12 \left(1 + \cos(\pi t)\right)$." + "\n\n> **Common mistake**: none."
    tex = nbformat.v4.new_markdown_cell(tex)
    assert figure_alt([tex, cells[2]], 1) == "The plot shows eta_t = eta_0 · 12 (1 + cos(pi t))."


def test_bad_inputs_give_clear_errors(tmp_path):
    with pytest.raises(SiteError, match="no notebooks folder"):
        build_site(tmp_path / "out", repo=tmp_path)
    for outside in (NOTEBOOK_DIR / "99_missing.ipynb", REPO / "README.md"):
        with pytest.raises(SiteError, match="no such notebook in"):
            build_site(tmp_path / "out", notebooks=[outside])
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(SiteError, match="cannot write the site to"):
        build_site(blocker / "site", notebooks=[NUMPY_NOTEBOOK])
    with pytest.raises(SystemExit, match="course site: cannot write the site to"):
        main(["site", str(blocker / "site"), str(NUMPY_NOTEBOOK)])


def test_the_whole_course_builds_with_working_links(tmp_path, capsys):
    assert main(["site", str(tmp_path)]) == 0
    assert "open" in capsys.readouterr().out
    notebooks = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
    assert all((tmp_path / "notebooks" / f"{path.stem}.html").is_file() for path in notebooks)
    assert site_problems(tmp_path) == []


def test_the_checker_reports_each_kind_of_problem(tmp_path):
    (tmp_path / "a.html").write_text(
        '<h2 id="here">Here</h2><img src="gone.png" alt="a plot"><img src="a.html">'
        '<a href="#here">ok</a><a href="#nowhere">bad</a><a href="b.html">missing</a>'
        '<a href="https://example.org">fine</a><script src="https://cdn.example.org/x.js"></script>'
    )
    problems = site_problems(tmp_path)
    assert len(problems) == 5, problems
    kinds = ("gone.png", "without alt", "#nowhere", "b.html", "network")
    assert [kind for kind in kinds if not any(kind in problem for problem in problems)] == []


def test_a_glossary_becomes_a_page_in_every_documents_menu(tmp_path):
    repo = tmp_path / "repo"
    (repo / "notebooks").mkdir(parents=True)
    cell = nbformat.v4.new_markdown_cell("# 00 · Intro\n\n## First *steps*\n\n$x_1 + y_2$")
    notebook = nbformat.v4.new_notebook(cells=[cell])
    nbformat.write(notebook, repo / "notebooks" / "00_intro.ipynb")
    (repo / "README.md").write_text("# Course\n\n## Course map\n\n[Intro](notebooks/00_intro.ipynb#First-steps)\n")
    (repo / "GLOSSARY.md").write_text("# Glossary\n\n## Array\n\nSee [the intro](notebooks/00_intro.ipynb#First-steps).\n")
    pages = build_site(tmp_path / "site", repo=repo)
    assert pages == ["notebooks/00_intro.html", "index.html", "GLOSSARY.html"]
    assert 'href="GLOSSARY.html">Glossary</a>' in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "$x_1 + y_2$" in (tmp_path / "site" / "notebooks" / "00_intro.html").read_text(encoding="utf-8")
    assert site_problems(tmp_path / "site") == []


def test_the_glossary_page_links_every_term_to_a_notebook_section(site):
    soup = BeautifulSoup((site / "GLOSSARY.html").read_text(encoding="utf-8"), "html.parser")
    terms = soup.select("li")
    section_links = [li.find("a", href=re.compile(r"^notebooks/\d\d_\w+\.html#.")) for li in terms]
    assert len(terms) >= 120 and all(section_links), "every entry links a notebook page's section"
    letters = {a["href"][1:] for a in soup.find_all("a", href=re.compile(r"^#[a-z]$"))}
    assert letters and letters <= ids_of(site / "GLOSSARY.html")
    built = [a["href"] for a in section_links if a["href"].startswith("notebooks/06_")]
    assert built and all(unquote(href.partition("#")[2]) in ids_of(site / href.partition("#")[0]) for href in built)


def test_citations_link_to_the_anchors_of_the_references_page(site, tmp_path):
    entries = (REPO / "REFERENCES.md").read_text(encoding="utf-8")
    anchors = set(re.findall(r'^- <a id="([^"]+)"></a>', entries, re.MULTILINE))
    assert len(anchors) > 50 and anchors <= ids_of(site / "REFERENCES.html")
    repo = tmp_path / "repo"
    (repo / "notebooks").mkdir(parents=True)
    cell = nbformat.v4.new_markdown_cell("# 21 · Optimizers\n\nAdam ([Kingma & Ba, 2014](../REFERENCES.md#kingma-ba-2014)).")
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), repo / "notebooks" / "21_optimizers.ipynb")
    (repo / "README.md").write_text("# Course\n\n## Course map\n\n[21](notebooks/21_optimizers.ipynb)\n")
    (repo / "REFERENCES.md").write_text('# References\n\n- <a id="kingma-ba-2014"></a> Kingma, D. P., & Ba, J. (2014). Adam.\n')
    build_site(tmp_path / "site", repo=repo)
    page = (tmp_path / "site" / "notebooks" / "21_optimizers.html").read_text(encoding="utf-8")
    assert 'href="../REFERENCES.html#kingma-ba-2014"' in page
    assert site_problems(tmp_path / "site") == []
