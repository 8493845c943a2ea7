"""``course site OUT/``: the course as a static website, rendered from the notebooks' stored outputs.

Nothing is executed (strict nbval already proves the stored outputs current) and nothing is
fetched: the build and the site work offline. The site mirrors the repository's layout, so
relative links keep their meaning:

    OUT/index.html                  README.md, whose course map is the table of contents
    OUT/REFERENCES.html, ...        every markdown document at the top (NOTATION, a glossary, ...)
    OUT/datasets/README.html        the data sets' documentation
    OUT/notebooks/NN_topic.html     each notebook, its figures in OUT/notebooks/NN_topic_files/
    OUT/_static/                    the stylesheet and MathJax, which typesets the TeX in the reader's browser

Links are rewritten (``NN_topic.ipynb#Heading`` -> ``NN_topic.html#Heading``, ``*.md`` ->
``*.html``); a markdown document linked from a page becomes a page too, and any other local
file it links is copied. Headings get the ids that links name (JupyterLab's rule on notebook
pages, GitHub's on the others: :mod:`course_tools.anchors`). Each figure gets alt text from the
sentence that introduces it and its titles in the code (:func:`figure_alt`).
"""

import ast
import html
import os
import re
import shutil
from pathlib import Path

import nbformat
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from traitlets.config import Config

from course_tools.anchors import github_id, jupyterlab_id

REPO = Path(__file__).resolve().parents[1]
TEMPLATES = Path(__file__).with_name("templates")
STATIC = "_static"
MATHJAX_CONFIG = "MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"
EXTERNAL = re.compile(r"^([a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)  # http:, mailto:, data:, //host
FROM_THE_NETWORK = re.compile(r"^(https?:)?//", re.IGNORECASE)
TEX_WORDS = "alpha|beta|gamma|delta|epsilon|eta|theta|lambda|mu|sigma|pi|rho|tau|phi|omega|cos|sin|tanh|log|exp|max|min|sum"
FIGURE_WORDS = re.compile(r"\b(figures?|plots?|pictures?|panels?|charts?|drawn|draws|shows?|curves?|grid|below)\b", re.I)


class SiteError(Exception):
    """The site cannot be built from these inputs (the message says which and why)."""


def site_path(source: Path, repo: Path = REPO) -> str:
    """Where the page made from ``source`` (a .md or .ipynb in ``repo``) lives in the site, as a
    POSIX path relative to the site's root; the top-level README becomes ``index.html``."""
    relative = source.relative_to(repo)
    if relative == Path("README.md"):
        return "index.html"
    return relative.with_suffix(".html").as_posix()


def _relative_url(target: str, page: str) -> str:
    """The URL of site path ``target`` as seen from site path ``page``."""
    return os.path.relpath(target, start=os.path.dirname(page) or ".").replace(os.sep, "/")


def notebook_title(nb: nbformat.NotebookNode, path: Path) -> str:
    """The text of the notebook's ``# NN · Topic`` heading (its file name if it has none)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.match(r"#\s+(.+)", cell.source.strip())
            return match.group(1).strip() if match else path.stem
    return path.stem


def _titles_in_code(source: str) -> list[str]:
    """String literals passed as figure or axes titles in ``source`` (``set_title("...")``,
    ``suptitle``, ``title=...``); code that does not parse gives none."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    titles = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", getattr(node.func, "id", ""))
        arguments = list(node.args[:1]) if name in ("set_title", "suptitle", "title") else []
        arguments += [keyword.value for keyword in node.keywords if keyword.arg in ("title", "suptitle")]
        titles += [_literal_text(arg) for arg in arguments]
    return [title for title in titles if title.strip()]


def _literal_text(node: ast.expr) -> str:
    """The text of a string literal; an f-string's computed parts read '…'; other expressions ''."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_literal_text(part) if isinstance(part, ast.Constant) else "…" for part in node.values)
    return ""


def _plain(markdown: str) -> str:
    """Markdown inline text as plain words: links show their text; emphasis, code and TeX marks go,
    TeX commands too, except Greek letters and named functions (``\\alpha`` -> ``alpha``)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"\\cdot(?![a-zA-Z])", "·", text)
    text = re.sub(rf"\\({TEX_WORDS})(?![a-zA-Z])", r"\1", text)
    text = re.sub(r"\\[a-zA-Z]+\s*|[*`${}]|(?<!\w)_|_(?!\w)", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _introducing_sentence(markdown: str) -> str:
    """The sentence of a markdown cell that introduces the figure after it: in its last paragraph,
    the first sentence that speaks of a figure (a plot, what it shows, ...), else its first sentence."""
    paragraphs = [p for p in re.split(r"\n\s*\n", markdown) if p.strip() and not p.lstrip().startswith(("#", "|", "$$", ">"))]
    if not paragraphs:
        return ""
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z(*\[])", _plain(paragraphs[-1]))
    speaking = [s for s in sentences if FIGURE_WORDS.search(s)]
    return (speaking or sentences)[0]


def figure_alt(cells: list, index: int) -> str:
    """Alt text for the figures of code cell ``cells[index]``: the titles its code gives them, then
    the sentence of the nearest markdown cell above that introduces them (else the cell's first
    comment line). Never empty."""
    source = cells[index].source
    above = next((cell.source for cell in reversed(cells[:index]) if cell.cell_type == "markdown"), "")
    comment = next((line.lstrip("# ").strip() for line in source.splitlines() if line.startswith("#")), "")
    text = _introducing_sentence(above) or comment or f"Figure drawn by code cell {index}"
    titles = _titles_in_code(source)
    return f"Figure: {'; '.join(titles)}. {text}" if titles else text


def _add_figure_alt(nb: nbformat.NotebookNode) -> None:
    """Store each image output's alt text in its metadata (``alt``), where the template reads it."""
    for index, cell in enumerate(nb.cells):
        images = [out for out in cell.get("outputs", []) if {"image/png", "image/jpeg"} & set(out.get("data", {}))]
        alt = figure_alt(nb.cells, index) if images else ""
        for number, output in enumerate(images, start=1):
            output.metadata["alt"] = alt if len(images) == 1 else f"{alt} (figure {number} of {len(images)})"


def _nav(page: str, links: list[tuple[str, str]]) -> str:
    """A navigation bar of (label, site path or path#fragment) pairs, as seen from ``page``."""
    items = " ".join(f'<a href="{_relative_url(target, page)}">{html.escape(label)}</a>' for label, target in links)
    return f'<nav class="course-nav">{items}</nav>'


class _Builder:
    """Renders pages into ``out``; one instance per build."""

    def __init__(self, out: Path, repo: Path):
        self.out, self.repo = out, repo
        config = Config()
        config.HTMLExporter.preprocessors = ["nbconvert.preprocessors.ExtractOutputPreprocessor"]
        self.exporter = HTMLExporter(
            config=config, template_name="lab", extra_template_paths=[str(TEMPLATES)], template_file="notebook.html.j2"
        )
        self.markdown = MarkdownWithMath(renderer=IPythonRenderer(escape=False, exclude_anchor_links=True))
        documents = [("References", repo / "REFERENCES.md"), ("Notation", repo / "NOTATION.md")]
        documents += [("Glossary", path) for path in sorted(repo.glob("*.md")) if path.stem.lower() == "glossary"]
        self.documents_nav = [("Course map", "index.html#course-map")]
        self.documents_nav += [(label, site_path(path, repo)) for label, path in documents if path.exists()]
        self.pending_documents: list[Path] = []

    def _static(self, page: str, name: str) -> str:
        return _relative_url(f"{STATIC}/{name}", page)

    def notebook(self, path: Path, previous: tuple[str, str] | None, following: tuple[str, str] | None) -> str:
        """Write the page of notebook ``path``; return its site path."""
        nb = nbformat.read(path, as_version=4)
        page = site_path(path, self.repo)
        nb.metadata["title"] = notebook_title(nb, path)
        _add_figure_alt(nb)
        links = [("← " + previous[0], previous[1])] if previous else []
        links += [("Course map", "index.html#course-map")]
        links += [(following[0] + " →", following[1])] if following else []
        resources = {
            "unique_key": "figure",
            "output_files_dir": f"{path.stem}_files",
            "site_css": self._static(page, "site.css"),
            "site_mathjax": self._static(page, f"mathjax/{MATHJAX_CONFIG}"),
            "site_nav": _nav(page, links),
        }
        self.exporter.register_filter("markdown2html", lambda text: self._markdown_html(text, path, page, jupyterlab_id))
        page_html, resources = self.exporter.from_notebook_node(nb, resources=resources)
        for name, data in resources.get("outputs", {}).items():
            figure = self.out / Path(page).parent / name
            figure.parent.mkdir(parents=True, exist_ok=True)
            figure.write_bytes(data)
        self._write(page, page_html)
        return page

    def document(self, path: Path) -> str:
        """Write the page of markdown document ``path``; return its site path."""
        page = site_path(path, self.repo)
        text = path.read_text(encoding="utf-8")
        title = re.search(r"^#\s+(.+)$", text, re.MULTILINE)
        page_html = self.exporter.environment.get_template("page.html.j2").render(
            title=title.group(1) if title else path.stem,
            body=self._markdown_html(text, path, page, github_id),
            nav=_nav(page, self.documents_nav),
            site_css=self._static(page, "site.css"),
            mathjax_url=self._static(page, f"mathjax/{MATHJAX_CONFIG}"),
        )
        self._write(page, page_html)
        return page

    def _markdown_html(self, markdown: str, source: Path, page: str, make_id) -> str:
        """Markdown (a document, or a notebook's cell) written in ``source`` as HTML for site path
        ``page``: headings get ids by ``make_id`` (numbered when repeated, as GitHub does), local
        links and image sources are rewritten for the site, and an image from the network (the
        README's Binder badge) becomes its alt text."""
        soup = BeautifulSoup(self.markdown.render(markdown), "html.parser")
        seen: dict[str, int] = {}
        for heading in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"]):
            anchor = make_id(heading.get_text())
            if make_id is github_id and anchor in seen:
                seen[anchor] += 1
                anchor = f"{anchor}-{seen[anchor]}"
            seen.setdefault(anchor, 0)
            heading["id"] = anchor
            link = soup.new_tag("a", attrs={"class": "anchor-link", "href": f"#{anchor}"})
            link.string = "¶"
            heading.append(link)
        for image in soup.find_all("img", src=FROM_THE_NETWORK):
            image.replace_with(image.get("alt") or image["src"])  # a page loads nothing from the network
        for tag, attribute in (("a", "href"), ("img", "src")):
            for element in soup.find_all(tag, attrs={attribute: True}):
                element[attribute] = self._local_url(element[attribute], source, page)
        return str(soup)

    def _local_url(self, url: str, source: Path, page: str) -> str:
        """The site's URL for a link written in ``source``: pages for .md/.ipynb files, a copy for
        other local files; external links and same-page fragments are kept.

        Raises SiteError for a link that leaves the repository."""
        if EXTERNAL.match(url) or url.startswith("#") or not url:
            return url
        file_part, hash_mark, fragment = url.partition("#")
        target = (source.parent / file_part).resolve()
        if not target.is_relative_to(self.repo):
            raise SiteError(f"{source.relative_to(self.repo)}: the link {url!r} leads outside the repository")
        if target.is_dir() and (target / "README.md").exists():
            target = target / "README.md"
        if target.suffix in (".md", ".ipynb"):
            if target.suffix == ".md" and target.exists():
                self.pending_documents.append(target)
            return _relative_url(site_path(target, self.repo), page) + hash_mark + fragment
        if target.is_file():
            copy = self.out / target.relative_to(self.repo)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(target, copy)
        return _relative_url(target.relative_to(self.repo).as_posix(), page) + hash_mark + fragment

    def _write(self, page: str, text: str) -> None:
        destination = self.out / page
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(text, encoding="utf-8")

    def static_files(self) -> None:
        """Copy the stylesheet (JupyterLab's, then the site's) and MathJax into ``_static/``.

        Raises SiteError if MathJax's files (the jupyter-server-mathjax package) are not installed."""
        try:
            import jupyter_server_mathjax
        except ImportError as error:
            raise SiteError(
                "course site needs MathJax's files from the jupyter-server-mathjax package: "
                "python -m pip install -r requirements-dev.txt"
            ) from error
        static = self.out / STATIC
        shutil.copytree(Path(jupyter_server_mathjax.__file__).parent / "static", static / "mathjax", dirs_exist_ok=True)
        lab = self.exporter.environment.loader.get_source(self.exporter.environment, "static/index.css")[1]
        theme = Path(lab).with_name("theme-light.css")
        css = [Path(lab), theme, TEMPLATES / "site.css"]
        (static / "site.css").write_text("\n".join(path.read_text(encoding="utf-8") for path in css), encoding="utf-8")


def _prepare(out: Path) -> None:
    """Create ``out`` (and its parents), or raise SiteError if it cannot be written to."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".course-site-write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as error:
        raise SiteError(f"cannot write the site to {out}: {error.strerror or error}") from error


def build_site(out: Path, notebooks: list[Path] | None = None, repo: Path = REPO) -> list[str]:
    """Render the course into the folder ``out`` and return the site paths of the pages written.

    ``notebooks`` (default: every ``NN_*.ipynb`` in ``repo/notebooks``, in course order) may name
    a subset, for a quick build: previous/next links then run through that subset, and links to
    the notebooks left out point at pages that were not built. The markdown documents (README,
    the other top-level ``*.md``, ``datasets/**/*.md``, and any ``.md`` a page links to) are
    always rendered.

    Raises SiteError if ``repo`` has no notebooks folder, a named notebook is not in it,
    ``out`` cannot be written to, or MathJax's files are not installed.
    """
    out, repo = Path(out).resolve(), Path(repo).resolve()
    folder = repo / "notebooks"
    if not folder.is_dir():
        raise SiteError(f"no notebooks folder at {folder}: run course site from the course's repository")
    paths = sorted(folder.glob("[0-9][0-9]_*.ipynb")) if notebooks is None else [Path(p).resolve() for p in notebooks]
    missing = [str(p) for p in paths if not p.is_file() or p.parent != folder]
    if missing:
        raise SiteError(f"no such notebook in {folder}: {', '.join(missing)}")
    if not paths:
        raise SiteError(f"no notebooks (NN_topic.ipynb) in {folder}")
    _prepare(out)
    builder = _Builder(out, repo)
    builder.static_files()
    titles = [notebook_title(nbformat.read(path, as_version=4), path) for path in paths]
    targets = [site_path(path, repo) for path in paths]
    written = []
    for i, path in enumerate(paths):
        previous = (titles[i - 1], targets[i - 1]) if i > 0 else None
        following = (titles[i + 1], targets[i + 1]) if i + 1 < len(paths) else None
        written.append(builder.notebook(path, previous, following))
    builder.pending_documents += [repo / "README.md", *sorted(repo.glob("*.md")), *sorted((repo / "datasets").rglob("*.md"))]
    done: set[Path] = set()
    while builder.pending_documents:
        document = builder.pending_documents.pop(0)
        if document not in done and document.exists():
            done.add(document)
            written.append(builder.document(document))
    return written
