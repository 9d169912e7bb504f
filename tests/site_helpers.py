"""What the site tests share: a fixed configuration, hand-made findings and a hostile sample."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from toolkit.config import SiteConfig
from toolkit.model import Disclosure
from toolkit.quality import audit
from toolkit.quality.finding import Finding
from toolkit.site import write_site

CONFIG = SiteConfig(title="定州市西城区 2020 年预算绩效目标", base_url="https://example.org/jixiao")
BUILD_TIME = datetime(2026, 1, 1, tzinfo=UTC)
BRIDGE = "917-0102-YCN-LNQ3"
BRIDGE_PAGE = f"project/2020/{BRIDGE}/"

HOSTILE_NAME = "<script>window.__pwned = 1</script>"
HOSTILE_IMG = '<img src=x onerror="window.__pwned = 2">'
HOSTILE_SCRIPT_END = "</script><script>window.__pwned = 3</script>"


def findings_for(sample: Disclosure) -> list[Finding]:
    """What the audit finds in the sample: 220 findings, 10 of them on the bridge project."""
    return audit([sample])


def hostile(sample: Disclosure) -> Disclosure:
    """The sample with script tags, Markdown and HTML in every kind of text a page shows."""
    d = sample.model_copy(deep=True)
    d.department_name = f"**粗体部门** {HOSTILE_IMG}"
    d.overall_goal = (
        "# 不是标题\n\n<script>window.__pwned = 4</script>\n\n[链接](javascript:alert(1))"
    )
    d.itemised_goals = ["<iframe src=javascript:alert(1)></iframe>", "*斜体*"]
    first, second, third = d.projects[0], d.projects[1], d.projects[2]
    first.name = HOSTILE_NAME
    second.name = "**x**"
    third.name = "[a](javascript:window.__pwned=5)"
    first.goals = [HOSTILE_SCRIPT_END, "{{ config }}"]
    first.use_of_funds = "<a href='javascript:window.__pwned=6'>点击</a>"
    first.indicators[0].name = HOSTILE_IMG
    first.indicators[0].target.raw = "<b>≥90</b>"
    first.spending_plan[0].period = "<svg onload=window.__pwned=7>"
    return d


def build(disclosures: list[Disclosure], folder: Path, **kwargs) -> Path:
    return write_site(disclosures, folder, config=CONFIG, build_time=BUILD_TIME, **kwargs)
