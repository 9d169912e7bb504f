"""The search entries of generated pages are made beside the pages (toolkit.site_search) and
must be exactly those Material's search plugin makes: the tests run the plugin's own indexing
on every generated page of the sample site and compare."""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from material.plugins.search.plugin import SearchIndex

from toolkit import site_search
from toolkit.errors import OutputError
from toolkit.model import Disclosure
from toolkit.segmenter import jieba_tokenizer
from toolkit.site_search import (
    exact_entries,
    merge_entries,
    page_entries,
    segment_chinese,
    unindexed_heading,
)
from toolkit.site_stamp import Stamper

from .site_helpers import BRIDGE_PAGE, build, findings_for, hostile


def unstamped(disclosure: Disclosure, folder: Path, **kwargs) -> Path:
    """The site with every generated page's Markdown in its docs folder, where the tests
    read what the plugin would index: a stamped page's is not (toolkit/site_stamp.py; its
    tests show the stamped site, search index included, is the same)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Stamper, "wants", staticmethod(lambda meta: False))
        return build([disclosure], folder, **kwargs)


@pytest.fixture(scope="module")
def site(sample: Disclosure, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site") / "site"
    return unstamped(sample, folder, findings=findings_for(sample))


@pytest.fixture(scope="module")
def hostile_site(sample: Disclosure, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return unstamped(hostile(sample), tmp_path_factory.mktemp("hostile") / "site")


def plugin_entries(url: str, title: str, html: str) -> list[dict]:
    """What Material's plugin indexes for a page: its own code, on a page as MkDocs hands it
    over (the generated pages' Markdown is an empty block, so their table of contents is
    empty)."""
    page = SimpleNamespace(meta={"title": title}, content=html, toc=[], url=url, title=title)
    index = SearchIndex()
    index.add_entry_from_context(page)
    return index.entries


def generated_pages(site: Path) -> list[tuple[str, str, str]]:
    """Every generated page that the plugin was told to skip: (url, title, body HTML)."""
    docs = site.with_name(f"{site.name}-pages") / "docs"
    found = []
    for source in sorted(docs.rglob("*.md")):
        markdown = source.read_text(encoding="utf-8")
        front, _, body = markdown.partition("\n---\n")
        if '"exclude": true' not in front or "generated: true" not in front:
            continue
        title = json.loads(re.search(r"^title: (.*)$", front, re.M).group(1))
        url = source.relative_to(docs).as_posix().removesuffix("index.md")
        found.append((url, title, body.lstrip("\n")))
    return found


def index_docs(site: Path) -> list[dict]:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


@pytest.mark.parametrize("which", ["site", "hostile_site"])
def test_search_index_holds_what_materials_plugin_makes_of_every_generated_page(which, request):
    site = request.getfixturevalue(which)
    jieba_tokenizer()
    # The one disclosure's page repeats the home and is kept out of the index altogether.
    pages = [page for page in generated_pages(site) if not page[0].startswith("disclosure/")]
    # Every project page, the department page, the project index and the quality page.
    assert len(pages) == 15 + 1 + 2
    assert not any(d["location"].startswith("disclosure/") for d in index_docs(site))
    expected = [entry for page in pages for entry in plugin_entries(*page)]
    docs = index_docs(site)
    for entry in expected:
        assert entry in docs
    generated = {url for url, _, _ in pages}
    ours = [d for d in docs if d["location"].split("#")[0] in generated]
    assert sorted(map(json.dumps, ours)) == sorted(map(json.dumps, expected))


def test_pages_left_to_the_plugin_are_indexed_once(site):
    locations = [d["location"] for d in index_docs(site)]
    assert len(locations) == len(set(locations))
    assert "" in locations  # the home, indexed by the plugin with its theme title
    assert "about/" in locations  # a hand-written page


def test_the_bridge_project_is_found_by_the_word_weiqiao(site):
    (entry,) = [d for d in index_docs(site) if d["location"] == BRIDGE_PAGE + "#project"]
    assert "\u200b危桥\u200b" in f"\u200b{entry['title']}\u200b"


@pytest.mark.parametrize(
    "html",
    [
        '<h1 id="t">题</h1><p>一</p><h2 id="findings" data-search-exclude>问题</h2>'
        '<ul><li>甲</li></ul><h2 id="downloads" data-search-exclude>下载</h2><p>乙</p>'
        '<h2 id="c">丙</h2><p>丁</p>',
        '<div><h2 id="a" data-search-exclude>一</h2><p>二</p></div><p>三</p><h3 id="b">四</h3>',
        '<h2 id="a" data-search-exclude>一<code>x</code></h2><p>二</p><h2 id="b">三</h2>',
        '<h2 id="a&amp;b" data-search-exclude>一</h2><table><tr><td>二</td></tr></table>',
    ],
)
def test_sections_under_a_heading_marked_data_search_exclude_are_left_out_as_the_plugin_does(
    html, monkeypatch
):
    jieba_tokenizer()
    expected = plugin_entries("x/", "页", html)
    monkeypatch.setattr(site_search, "exact_entries", None)  # read without the plugin's parser
    assert page_entries("x/", "页", html) == expected
    left_out = ("#a", "#a&b", "#findings", "#downloads")
    assert not any(entry["location"].endswith(left_out) for entry in expected)


@pytest.mark.parametrize(
    "html",
    [
        '<div class="jx-page">\n<h1 id="a">标题</h1>\n<pre><code>保留\n  空白</code></pre></div>',
        '<div><h2 id="b">二</h2><p data-search-exclude>不索引</p><p>索引 &amp; 转义</p></div>',
        '<div><p>前言</p><script>var x = \'<h1 id="z">\';</script><h3 id="c">三</h3></div>',
        '<div><h1 id="d">甲<a class="headerlink" href="#d">¶</a></h1><!-- 注释 --><p>乙</p></div>',
        "<div><p>a < b</p><ul><li> </li><li>项</li></ul><rect/><br></div>",
        '<h2 id="a">一</h2><p>a > b</p><script>var x = \'<h2 id="z">\';</script><p>c</p>',
        '<h2 id="a">一</h2>x > y<script>var x = \'<h2 id="z">\';</script><p>c</p>',
        '<h2 id="a" title="<x>">一</h2><p>二</p>',
        '<h2 id="a" data-search-exclude>一</h2><p>二</p><script>x = \'<h2 id="z">\';</script>'
        '<h2 id="b">三</h2><p>四</p>',
        '<h2 id="a" data-search-exclude>一</h2><p>二<!-- <h2 id="z"> --></p><h2 id="b">三</h2>',
        '<div><h2 id="a" data-search-exclude>一</h2><p>二</p></div><p>三</p><div><p>四</p>',
        '<h2 id="a">一</h2><p>二</p><STYLE>p { x: "<h3 id=y>" }</STYLE>',
        '<h2 id="a">一</h2><p>二</p></div><pre>  三\n  四</pre><h2 id="b">五</h2>',
        '<ul><li class="x"><span x=y/></li><li><a href=b/>c</a></li></ul><br/><rect x="1" />',
    ],
)
def test_markup_the_generator_does_not_write_is_indexed_as_the_plugin_does(html):
    jieba_tokenizer()
    assert page_entries("x/", "页", html) == plugin_entries("x/", "页", html)


# Markup as the generator writes it, with the whitespace rules of the plugin's parser at work:
# whitespace-only texts collapse to one space unless the last item was one already (what lies
# between is dropped tags, not kept ones); a kept element with only whitespace in it is dropped
# unless the section had the same kept tag before (the plugin looks for the first one); a
# heading of the section heading's level without an id adds to its title; a heading inside an
# element ends with it, the text after going back to the section before.
PAGE_LIKE = [
    '<div class="jx-page">\n<h1 id="p">甲</h1>\n<table><tr><td>1</td>\n<td> </td></tr>\n'
    "<tr><td>&nbsp;</td><td>\t</td></tr></table>\n<p>乙 </p> \n</div>\n",
    '<h2 id="a">一</h2><ul><li>项</li><li> </li></ul><h2 id="b">二</h2><ul><li> </li></ul>'
    "<p><code> </code>码</p><li>\n<span> </span>\n</li>",
    '<h3 id="c">三</h3><div><h3 class="x">又</h3><p>文</p><h4>四</h4></div><dl><dt>x</dt></dl>',
    '<div><section><h2 id="d">节</h2><p>内</p></section>\n<p>外 &amp; &lt;b&gt;</p></div>\n',
    '<h2 id="e">图</h2><figure><svg role="img"><title>题</title><g><rect x="1"/>'
    '<text x="2">45%</text></g><line x1="3"/></svg><figcaption>说明</figcaption></figure>',
    '<h2 id="f">链</h2><ul class="jx-downloads"><li><a href="a.csv" download>表（CSV）</a>'
    "</li></ul><p>a<br>b<sup>2</sup><sub> </sub></p>\n",
    '<p>前言</p><h2 id="g">二</h2><p>文</p><span><h3 id="h">三</h3>里</span>外<h2>不</h2>',
    "<p>前</p><hx>题</hx><p>后</p>",
]


@pytest.mark.parametrize("html", PAGE_LIKE)
def test_page_like_markup_is_indexed_as_the_plugin_does(html):
    jieba_tokenizer()
    assert page_entries("x/", "页", html) == plugin_entries("x/", "页", html)


TEXT = st.text(alphabet="危桥经费项目年度 ab09%≥.\n\t\u3000\xa0\x00\x03&<>\"'", max_size=10)
# Texts as the generator writes them (escaped), whitespace only, or with character references.
TEXTS = st.one_of(
    TEXT.map(escape),
    st.sampled_from([" ", "\n", "\n\n", " \t", "\u3000", "&nbsp;", "&#10;", "&#32;", "&amp;"]),
)
PUSHED = ["div", "table", "tbody", "tr", "td", "th", "span", "a", "dl", "dt", "dd", "strong"]
KEPT = ["p", "code", "li", "ul", "ol", "sup", "sub"]
ATTRIBUTES = ["", ' class="jx-num"', ' href="#a"', " download", ' id="indicator-1"']


def elements(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def element(tag: str, attributes: str, inner: list[str]) -> str:
        return f"<{tag}{attributes}>{''.join(inner)}</{tag}>"

    return st.builds(
        element,
        st.sampled_from(PUSHED + KEPT + ["h3", "h4", "svg", "g", "title"]),
        st.sampled_from(ATTRIBUTES),
        st.lists(children, max_size=4),
    )


def headings(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def heading(level: int, name: str | None, inner: list[str], left_out: bool) -> str:
        if name and left_out:  # its section left out of the index
            return unindexed_heading(level, name, "".join(inner))
        attributes = f' id="{name}"' if name else ' class="jx-level1"'
        return f"<h{level}{attributes}>{''.join(inner)}</h{level}>"

    return st.builds(
        heading,
        st.integers(1, 4),
        st.one_of(st.none(), st.sampled_from(["a", "b", "indicators", "甲"])),
        st.lists(st.one_of(TEXTS, st.just("<code>x</code>")), min_size=1, max_size=2),
        st.booleans(),
    )


LONE = st.sampled_from(["<br>", '<rect x="1" rx="2"/>', "<line/>", "<hr>", '<img src="a">'])
# What the generator does not write, to see it read as the plugin reads it all the same.
STRAY = st.sampled_from(
    [
        *["</td>", "<span>", "</p>", "<li>", "</div>", "<TD>", "</li>", "</h2>", "<hx>"],
        *["</br>", "<p/>", '<h2 id="s"/>', "<span x=y/>", "<br/>", '<H3 id="u">', "<li class=x>"],
    ]
)
NODES = st.recursive(
    st.one_of(TEXTS, LONE),
    lambda children: st.one_of(elements(children), headings(children)),
    max_leaves=40,
)
PAGES = st.lists(st.one_of(NODES, NODES, NODES, STRAY), max_size=12).map("".join)


def entries_or_error(read, html: str):
    try:
        return read("x/", "页", html)
    except ValueError:  # a kept tag ended in another section: the plugin fails too
        return "ValueError"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html=PAGES, wrapped=st.booleans())
def test_generated_page_like_markup_is_indexed_as_the_plugins_parser_reads_it(html, wrapped):
    jieba_tokenizer()
    if wrapped:
        html = f'<div class="jx-page">\n{html}\n</div>\n'
    assert entries_or_error(page_entries, html) == entries_or_error(exact_entries, html)


def test_chinese_is_segmented_as_the_plugin_segments_it():
    jieba_tokenizer()
    text = "韩家洼三座危桥经费 and 2020 年项目，绩效目标 <code>x</code> 危桥"
    assert segment_chinese(text) == SearchIndex()._segment_chinese(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="危桥经费项目年度绩效目标 a1,\u200b\u3000\n", max_size=30))
def test_any_mix_of_chinese_and_other_text_is_segmented_as_the_plugin_does(text):
    jieba_tokenizer()
    assert segment_chinese(text) == SearchIndex()._segment_chinese(text)


@pytest.mark.parametrize("docs", [[], [{"location": "about/", "title": "关于", "text": "x"}]])
@pytest.mark.parametrize("count", [1, 2500])  # written a thousand at a time
def test_merged_entries_follow_the_plugins_compact_in_utf_8(docs, count, tmp_path):
    index = tmp_path / "search" / "search_index.json"
    index.parent.mkdir()
    config = {"lang": ["zh"], "separator": "[\\s]+"}
    plugins = json.dumps({"config": config, "docs": docs}, separators=(",", ":"))
    index.write_text(plugins)
    ours = [{"location": f"p/{n}/", "title": "危桥", "text": "<p>经费</p>"} for n in range(count)]
    merge_entries(tmp_path, ours)
    text = index.read_text(encoding="utf-8")
    assert json.loads(text) == {"config": config, "docs": docs + ours}
    assert text.startswith(plugins[:-2])  # the plugin's own, as it wrote them
    ours_text = json.dumps(ours, separators=(",", ":"), ensure_ascii=False)[1:-1]
    assert text.endswith(ours_text + "]}")  # three bytes a Chinese character, not six


def test_an_index_of_another_shape_is_an_output_error_not_a_corrupt_file(tmp_path):
    index = tmp_path / "search" / "search_index.json"
    index.parent.mkdir()
    index.write_text('{"docs":[],"config":{}}')
    with pytest.raises(OutputError, match="unknown shape"):
        merge_entries(tmp_path, [{"location": "x/", "title": "t", "text": ""}])
    assert index.read_text() == '{"docs":[],"config":{}}'
