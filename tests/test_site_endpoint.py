"""The linked-data page says where the SPARQL endpoint is, or how to run one (issue 9)."""

from __future__ import annotations

import html
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from rdflib import XSD, Literal

from toolkit.config import SiteConfig, load_config, starter_config
from toolkit.model import Disclosure
from toolkit.site_generate import generate_pages
from toolkit.site_queries import shown_text

from .site_helpers import BUILD_TIME, CONFIG, findings_for

ENDPOINT = "https://data.example.org/sparql?default-graph-uri=x&a=1"


def linked_data_page(sample: Disclosure, folder: Path, config: SiteConfig) -> str:
    """The linked-data page's generated Markdown (what MkDocs then renders unchanged)."""
    generate_pages(
        [sample],
        findings_for(sample),
        folder,
        config=config,
        build_time=BUILD_TIME,
        outputs=None,
        theme=SimpleNamespace(
            prepare=lambda: None, build=lambda stamped: None, written=lambda pages: None
        ),
    )
    return (folder / "linked-data" / "index.md").read_text(encoding="utf-8")


def endpoint_section(page: str) -> str:
    return page.split('<h2 id="endpoint">', 1)[1].split("<h2", 1)[0]


def test_a_configured_endpoint_is_linked_with_how_to_query_it(sample, tmp_path):
    config = CONFIG.model_copy(update={"sparql_endpoint": ENDPOINT})
    section = endpoint_section(linked_data_page(sample, tmp_path, config))
    escaped = html.escape(ENDPOINT, quote=True)
    assert f'<a href="{escaped}">' in section
    assert ENDPOINT not in section  # the & is escaped in the HTML
    text = html.unescape(re.sub(r"<[^>]+>", "", section))
    assert f"--endpoint {ENDPOINT}" in text
    assert "curl " in text and "--data-urlencode 'query=SELECT" in text
    assert "serve --sparql" not in text


def test_without_an_endpoint_the_page_says_how_to_run_one(sample, tmp_path):
    section = endpoint_section(linked_data_page(sample, tmp_path, CONFIG))
    assert "jixiao serve --sparql" in section
    assert "sparql_endpoint" in section and "<a href=" not in section


@pytest.mark.parametrize("url", ["ftp://host/sparql", "http://host/spa rql", "/sparql", ""])
def test_the_endpoint_must_be_an_http_url(url):
    with pytest.raises(ValueError, match="sparql_endpoint"):
        SiteConfig(sparql_endpoint=url)


def test_the_starter_configuration_documents_the_endpoint_and_a_value_loads(tmp_path):
    starter = starter_config()
    assert "# sparql_endpoint = " in starter
    (tmp_path / "disclosures").mkdir()
    (tmp_path / "disclosures" / "a.txt").write_text("x", encoding="utf-8")
    text = starter.replace("# sparql_endpoint = ", "sparql_endpoint = ")
    (tmp_path / "jixiao.toml").write_text(text, encoding="utf-8")
    assert load_config(tmp_path / "jixiao.toml").site.sparql_endpoint.startswith("https://")


@pytest.mark.parametrize(
    ("lexical", "shown"),
    [("25", "25.00"), ("1651.67", "1651.67"), ("1.5", "1.50"), ("0.125", "0.125"), ("-3", "-3.00")],
)
def test_query_decimals_show_at_least_cents_whatever_the_store_canonicalises(lexical, shown):
    assert shown_text(Literal(lexical, datatype=XSD.decimal)) == shown
    assert shown_text(Literal("25", datatype=XSD.integer)) == "25"
