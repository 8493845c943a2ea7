"""The ids that a link's ``#fragment`` must name, as the reader's viewer gives them to headings.

Notebooks are read in JupyterLab, which gives a heading the id of its text with spaces turned
into hyphens (``## Gradient checking in practice`` -> ``#Gradient-checking-in-practice``).
Markdown documents are read on GitHub, which lower-cases the text, drops punctuation and turns
spaces into hyphens. ``tests/test_links.py`` checks the repository's links with these rules,
and ``course site`` gives the website's headings the same ids. An explicit ``<a id="...">``
(:data:`EXPLICIT_ID`) keeps its id in both viewers and on the site.
"""

import re

HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
# An anchor set by hand, as REFERENCES.md gives each entry: <a id="kingma-ba-2014"></a>.
EXPLICIT_ID = re.compile(r'<a\s+id="([^"]+)"\s*>')


def without_code(markdown: str) -> str:
    """Drop fenced code blocks, whose '#' lines are comments, not headings."""
    return re.sub(r"^```.*?^```", "", markdown, flags=re.MULTILINE | re.DOTALL)


def jupyterlab_id(heading: str) -> str:
    """JupyterLab's id for a notebook heading, from its markdown (or its rendered text)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link shows its text
    text = re.sub(r"[*`]", "", text)
    return text.strip().replace(" ", "-")


def github_id(heading: str) -> str:
    """GitHub's id for a heading of a markdown document, from its markdown (or its rendered text)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")
