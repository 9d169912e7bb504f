"""The quality audit: one module per family of rules, each rule a small function.

    structure.py   DQ01 labels · DQ02 parent · DQ03 meaning · DQ04 missing kinds · DQ16 repeats
    targets.py     DQ05 unusable target · DQ06 unit · DQ07 cost · DQ08 satisfaction
    relevance.py   DQ09 off-topic / copied indicators · DQ15 description of another indicator
    basis.py       DQ10 basis of the target · DQ13 vague goals
    money.py       DQ11 funds · DQ12 spending plan · DQ14 weights

``rules.py`` is the catalogue (ids, severities, zh/en messages and hints), ``config.py`` the
settings, ``corpus.py`` and ``text.py`` the word statistics and Chinese segmentation behind
DQ09, ``audit()`` (audit.py) runs them all, ``summarise()`` (summary.py) scores one project
for the site and ``report.py`` prints findings as CSV or a terminal report.
"""

from toolkit.quality.audit import audit
from toolkit.quality.config import AuditConfig
from toolkit.quality.finding import Finding, Severity
from toolkit.quality.rules import RULES, Rule
from toolkit.quality.summary import QualitySummary, summarise

__all__ = [
    "RULES",
    "AuditConfig",
    "Finding",
    "QualitySummary",
    "Rule",
    "Severity",
    "audit",
    "summarise",
]
