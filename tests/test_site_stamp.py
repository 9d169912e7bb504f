"""Stamped pages (toolkit/site_stamp.py) are exactly what the theme renders page by page."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.model import Disclosure
from toolkit.site_rdf import script_safe, script_safe_bytes
from toolkit.site_stamp import Stamper, encoded

from .site_helpers import build, findings_for, hostile

THEME = (
    "<html><head><title>{{ page.meta.title }} - 站点</title>"
    '<link rel="canonical" href="{{ page.canonical_url }}">'
    "{% if page.meta.rdf_jsonld %}<script>{{ page.meta.rdf_jsonld }}</script>{% endif %}"
    "</head><body><header>{{ page.meta.title }}</header>"
    '{% if "<h1" not in page.content %}<h1>{{ page.title }}</h1>{% endif %}'
    "{{ page.content }}</body></html>"
)


def _page(name: str, code: str, content: str | None = None) -> SimpleNamespace:
    """A page as MkDocs leaves a stamped one (no content, no JSON-LD) and its values."""
    page = SimpleNamespace(
        meta={"title": name, "hide": ["toc"], "stamp": True},
        title=name,
        url=f"project/2020/{code}/",
        canonical_url=f"https://example.org/project/2020/{code}/",
        content="",
    )
    page.values = {
        "title": name,
        "url": page.canonical_url,
        "content": f'<h1 id="project">{name}</h1><p>{code}</p>' if content is None else content,
        "jsonld": f'{{"@id":"{code}"}}',
    }
    return page


def _stamp(theme: str, pages: list[SimpleNamespace]) -> tuple[list[str], list[str], Stamper]:
    """Each page stamped, and the theme's own rendering of each."""
    env = jinja2.Environment(loader=jinja2.DictLoader({"main.html": theme}))
    stamper = Stamper({}, env=env)
    stamped, rendered = [], []
    for page in pages:
        context = {"page": page}
        stamped.append(stamper.page_html(page, context, page.values))
        shown = SimpleNamespace(
            meta={**page.meta, "title": page.values["title"], "rdf_jsonld": page.values["jsonld"]},
            title=page.title,
            canonical_url=page.values["url"],
            content=page.values["content"],
        )
        rendered.append(env.get_template("main.html").render(page=shown))
    return stamped, rendered, stamper


PAGES = [
    _page("河道综合治理经费", "A-1"),
    _page("&lt;script&gt;alert(1)&lt;/script&gt;", "B-2"),
    _page("“引号” &amp; &#39;撇号&#39;", "C-3"),
]


def test_pages_of_one_kind_share_a_shell_and_equal_the_theme():
    stamped, rendered, stamper = _stamp(THEME, PAGES)
    assert stamped == rendered
    assert stamper.stamped == len(PAGES)
    assert len(stamper.shells) == 1


@pytest.mark.parametrize(
    "changed",
    [
        "{{ page.meta.title | striptags }}",
        "{{ page.meta.title | truncate(30) }}",
        "{{ page.meta.title | e }}",
        "{{ page.canonical_url | urlencode }}",
    ],
)
def test_a_theme_that_changes_a_value_renders_every_page_itself(changed):
    theme = THEME.replace("<header>{{ page.meta.title }}</header>", f"<header>{changed}</header>")
    stamped, rendered, stamper = _stamp(theme, PAGES)
    assert stamped == rendered
    assert stamper.stamped == 0
    assert list(stamper.shells.values()) == [None]


def test_a_page_whose_content_has_no_heading_is_rendered_by_the_theme():
    pages = [*PAGES, _page("无标题", "D-4", content="<p>没有一级标题</p>")]
    stamped, rendered, stamper = _stamp(THEME, pages)
    assert stamped == rendered
    assert "<h1>无标题</h1>" in stamped[-1]
    assert stamper.stamped == len(PAGES)


def test_pages_with_other_front_matter_get_a_shell_of_their_own():
    other = _page("部门", "E-5")
    other.meta = {**other.meta, "hide": ["navigation", "toc"]}
    stamped, rendered, stamper = _stamp(THEME, [*PAGES, other])
    assert stamped == rendered
    assert len(stamper.shells) == 2


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.mark.parametrize("kind", ["sample", "hostile"])
def test_a_stamped_site_is_byte_identical_to_one_the_theme_renders_page_by_page(
    kind: str, sample: Disclosure, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    disclosure = sample if kind == "sample" else hostile(sample)
    findings = findings_for(disclosure)
    made: list[Stamper] = []
    fill = Stamper.fill

    def counting(self: Stamper, files: Path, pages: dict[str, tuple[bytes, bytes]]) -> None:
        if self not in made:
            made.append(self)
        fill(self, files, pages)

    monkeypatch.setattr(Stamper, "fill", counting)
    stamped = build([disclosure], tmp_path / "stamped", findings=findings)
    # Every project page, the disclosure page and the department page were stamped.
    assert sum(s.stamped for s in made) == len(disclosure.projects) + 2
    # Shells that fail their checks: the theme renders each page after the build.
    monkeypatch.setattr(Stamper, "_shell", lambda self, page, context, values: None)
    late = build([disclosure], tmp_path / "late", findings=findings)
    assert made[-1].stamped == 0 and len(made[-1].deferred) == len(disclosure.projects) + 2
    # No page stamped: MkDocs reads and renders every page itself.
    monkeypatch.setattr(Stamper, "wants", staticmethod(lambda meta: False))
    rendered = build([disclosure], tmp_path / "rendered", findings=findings)
    assert len(made) == 2  # nothing filled
    assert _files(stamped) == _files(rendered)
    assert _files(late) == _files(rendered)


@given(st.text(alphabet=st.sampled_from('<>&"\\\u2028\u2029a中\U0001f600/!-'), max_size=40))
def test_script_safe_bytes_are_the_encoded_script_safe_text(text: str) -> None:
    as_json = json.dumps({"v": text}, ensure_ascii=False)
    safe = script_safe(as_json)
    assert script_safe_bytes(as_json.encode("utf-8")) == safe.encode("utf-8")
    assert not re.search(r"[<>&\u2028\u2029]", safe)
    assert json.loads(safe) == {"v": text}


@given(st.lists(st.text(st.characters() | st.sampled_from("\ud800\udfff"), max_size=8), max_size=5))
def test_a_pages_parts_encoded_one_by_one_are_the_page_encoded(parts: list[str]) -> None:
    """Lone surrogates included: each becomes the same character reference."""
    assert b"".join(map(encoded, parts)) == encoded("".join(parts))
