"""Rules on amounts that must add up: DQ11 (funds), DQ12 (spending plan), DQ14 (weights)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal

from toolkit.model import Project
from toolkit.quality.base import Hit, number
from toolkit.quality.config import AuditConfig

__all__ = ["dq11_funds", "dq12_spending_plan", "dq14_weights"]

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)
_FUNDS = (
    ("budget_total", "预算数", "the budget total"),
    ("fiscal_funds", "财政资金", "fiscal funds"),
    ("other_funds", "其他资金", "other funds"),
)


def dq11_funds(project: Project) -> Iterator[Hit]:
    """Negative amounts; fiscal + other funds different from the budget total."""
    for attribute, zh, en in _FUNDS:
        amount = getattr(project, attribute)
        if amount is not None and amount < 0:
            yield Hit("DQ11", "negative", {"field": zh, "field_en": en, "amount": number(amount)})
    total, fiscal, other = project.budget_total, project.fiscal_funds, project.other_funds
    if total is None or (fiscal is None and other is None):
        return
    parts = (fiscal or _ZERO) + (other or _ZERO)
    if parts != total:
        yield Hit(
            "DQ11",
            "mismatch",
            {
                "fiscal": number(fiscal or _ZERO),
                "other": number(other or _ZERO),
                "sum": number(parts),
                "total": number(total),
            },
        )


def dq12_spending_plan(project: Project) -> Hit | None:
    """Shares that do not add up to 100, or a cumulative plan that does not end at 100."""
    shares = [entry.percent for entry in project.spending_plan if entry.percent is not None]
    if not shares:
        return None
    if project.spending_plan_cumulative:
        if shares[-1] != _HUNDRED:
            return Hit("DQ12", "cumulative_end", {"last": number(shares[-1])})
        return None
    total = sum(shares, _ZERO)
    if total != _HUNDRED:
        return Hit("DQ12", "sum", {"sum": number(total)})
    return None


def dq14_weights(project: Project, totals: Sequence[Decimal]) -> Hit | None:
    """Where weights are given: all indicators have one and they add up to an accepted total."""
    weights = [i.weight for i in project.indicators if i.weight is not None]
    if not weights:
        return None
    expected = " / ".join(number(total) for total in totals)
    if len(weights) < len(project.indicators):
        return Hit(
            "DQ14",
            "partial",
            {"given": str(len(weights)), "count": str(len(project.indicators)),
             "total": expected},
        )  # fmt: skip
    total = sum(weights, _ZERO)
    if total not in totals:
        return Hit("DQ14", "sum", {"sum": number(total), "expected": expected, "total": expected})
    return None


def check_money(project: Project, config: AuditConfig) -> Iterator[Hit]:
    """Every money rule that ``config`` enables, on one project."""
    if config.runs("DQ11"):
        yield from dq11_funds(project)
    if config.runs("DQ12") and (hit := dq12_spending_plan(project)) is not None:
        yield hit
    if config.runs("DQ14") and (hit := dq14_weights(project, config.weight_totals)) is not None:
        yield hit
