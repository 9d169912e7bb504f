"""The site's HTML helpers."""

from __future__ import annotations

import html
import posixpath

from hypothesis import given
from hypothesis import strategies as st

from toolkit.site_html import esc, relative

_SEGMENT = st.sampled_from(["project", "2020", "917-0101-YCN-16DG", "quality", "a", "b", "."])
_PATH = st.lists(_SEGMENT, max_size=4).map("/".join)
_FOLDER = _PATH.map(lambda path: path + "/" if path else path)


def _relpath(target: str, start: str) -> str:
    """The definition: posixpath.relpath, with a trailing slash for folders."""
    link = posixpath.relpath(target or ".", start or ".")
    if target.endswith("/") or target == "":
        link = "./" if link == "." else link + "/"
    return link


@given(st.one_of(_PATH, _FOLDER), _FOLDER)
def test_relative_links_are_what_relpath_gives(target: str, start: str):
    assert relative(target, start) == _relpath(target, start)


def test_relative_links_between_pages():
    assert relative("quality/", "project/2020/X/") == "../../../quality/"
    assert relative("project/2020/X/", "project/2020/X/") == "./"
    assert relative("", "project/2020/X/") == "../../../"
    assert relative("project/2020/Y/data.csv", "project/2020/X/") == "../Y/data.csv"
    assert relative("projects/", "") == "projects/"


@given(st.one_of(st.text(), st.text(alphabet="<>&\"'\r\n 普通ab"), st.integers(), st.none()))
def test_escaped_text_is_html_escape_with_line_breaks_as_references(value: object):
    """Whether or not a text has anything to escape (most have not, and are returned as
    they are)."""
    expected = html.escape(str(value), quote=True).replace("\r", "&#13;").replace("\n", "&#10;")
    assert esc(value) == expected
