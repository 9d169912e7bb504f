"""``AuditConfig``: which rules run and their thresholds; the ``[audit]`` table of jixiao.toml."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from toolkit.quality.rules import RULES, RULES_BY_ID

__all__ = ["AuditConfig"]

ALL_RULES = [rule.id for rule in RULES]


class AuditConfig(BaseModel):
    """Settings of the quality audit. Every field has a documented default; in jixiao.toml::

    [audit]
    disabled = ["DQ13"]
    low_satisfaction = 85
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: list[str] = Field(
        default_factory=lambda: list(ALL_RULES),
        description="rules that run (default: all, DQ01–DQ16)",
    )
    disabled: list[str] = Field(
        default_factory=list, description="rules that do not run, even if enabled"
    )
    low_satisfaction: Decimal = Field(
        default=Decimal(80),
        ge=0,
        le=100,
        description="DQ08: a satisfaction target below this percentage is unusually low",
    )
    similarity: Decimal = Field(
        default=Decimal("0.2"),
        ge=0,
        le=1,
        description="DQ09: an indicator fits its project when at least this share of its "
        "weighted text is found in the project's name, use of funds and goals",
    )
    generic_share: Decimal = Field(
        default=Decimal("0.35"),
        ge=0,
        le=1,
        description="DQ09: an indicator whose specific text is less than this share of its "
        "characters is generic (overall satisfaction, completion rate) and never off-topic",
    )
    generic_share_spread: Decimal = Field(
        default=Decimal("0.4"),
        ge=0,
        le=1,
        description="DQ09: added to generic_share in proportion to the share of its "
        "disclosure's projects that use the same indicator: an indicator used everywhere needs "
        "more content to count as specific",
    )
    generic_texts: int = Field(
        default=3,
        ge=2,
        description="DQ09: a word used by at least this many different indicators, in at "
        "least this many projects, is measurement vocabulary rather than content",
    )
    generic_ratio: Decimal = Field(
        default=Decimal("0.1"),
        ge=0,
        le=1,
        description="DQ09: a word is measurement vocabulary only if at least this share of "
        "the distinct indicators use it (so that a larger corpus does not make every common "
        "word generic)",
    )
    min_content_chars: int = Field(
        default=4,
        ge=0,
        description="DQ09: in a project whose own indicators mostly fit it, a lone unrelated "
        "indicator is reported only if it has at least this many characters of content words",
    )
    generic_basis_chars: int = Field(
        default=6,
        ge=0,
        description="DQ10: a basis this short, with no number and no document title, is one "
        "generic word",
    )
    name_description_overlap: Decimal = Field(
        default=Decimal("0.2"),
        ge=0,
        le=1,
        description="DQ15: the description must contain at least this share of the "
        "characters of the indicator's name",
    )
    weight_totals: list[Decimal] = Field(
        default_factory=lambda: [Decimal(100), Decimal(90)],
        description="DQ14: accepted totals of the weights of a project's indicators "
        "(90 where 10 points go to budget execution, as in 财预〔2020〕10号)",
    )

    @field_validator("enabled", "disabled")
    @classmethod
    def _known_rules(cls, value: list[str]) -> list[str]:
        unknown = [rule for rule in value if rule not in RULES_BY_ID]
        if unknown:
            raise ValueError(f"unknown rule {unknown[0]!r}; known: DQ01–DQ16")
        return value

    def runs(self, rule: str) -> bool:
        return rule in self.enabled and rule not in self.disabled
