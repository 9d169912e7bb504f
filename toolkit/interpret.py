"""Blocks to the model: the disclosure layout of DOMAIN.md, and nothing about file formats.

Part 1 (部门整体绩效目标) is read from headings and paragraphs; Part 2 is one table per project,
headed ``N、<项目名称>绩效目标表``. A project's table is read by its labels (项目编码, 预算数,
资金支出计划, 绩效目标, the indicator header row), not by fixed positions, so other provinces'
templates with extra columns or another order of rows are read too. Whatever cannot be placed
becomes a :class:`~toolkit.model.ParseWarning` with its line; what makes the document
unusable raises :class:`~toolkit.errors.ParseError`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from toolkit.amounts import parse_amount, to_halfwidth
from toolkit.blocks import Block, Heading, Paragraph, Row, Table
from toolkit.errors import ParseError, first_validation_problem
from toolkit.metadata import DocumentMetadata
from toolkit.model import (
    CODE_PATTERN,
    Disclosure,
    ParseWarning,
    Project,
    SourceDocument,
    SourceLine,
    SpendingPlanEntry,
)
from toolkit.targets import target_fields
from toolkit.vocab import lookup_level1, lookup_level2

__all__ = ["interpret"]

_PROJECT_HEADING = re.compile(r"^(?P<seq>\d{1,4})\s*[、.．]\s*(?P<name>.+?)\s*绩效目标表$")
_NUMBERING = re.compile(r"^\s*(?:\d{1,3}|[一二三四五六七八九十]{1,3})\s*[、.．)）]\s*")
_DEPARTMENT_LINE = re.compile(r"^(?P<code>\d{3,32})\s*(?P<name>[^\d\s.,\-_/].*)$")
_CURRENCY = re.compile(r"单位\s*[:：]\s*(?P<unit>万元|元)")
_SECTION_TITLES = {"第一部分", "第二部分", "部门整体绩效目标", "预算项目绩效目标"}

_PART1_SECTIONS = {
    "overall": ("总体绩效目标", "总体目标"),
    "itemised": ("分项绩效目标", "分项目标"),
    "safeguards": ("工作保障措施", "保障措施"),
}

# Row labels of a project table, normalised by `_label_key`; aliases from other templates.
_FIELD_LABELS = {
    "项目编码": "code",
    "项目代码": "code",
    "项目名称": "name",
    "预算数": "budget_total",
    "预算金额": "budget_total",
    "年度预算数": "budget_total",
    "项目总额": "budget_total",
    "财政资金": "fiscal_funds",
    "财政拨款": "fiscal_funds",
    "其中财政资金": "fiscal_funds",
    "其中财政拨款": "fiscal_funds",
    "其他资金": "other_funds",
    "资金用途": "use_of_funds",
    "项目资金用途": "use_of_funds",
}
_STRUCTURAL_LABELS = {"预算规模及资金用途", "预算规模", "项目基本情况"}
_GOAL_LABELS = {"绩效目标", "年度绩效目标", "年度目标", "实施期目标", "项目绩效目标", "总体目标"}
_PLAN_LABEL = "资金支出计划"

_COLUMNS = {
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "name",
    "绩效指标描述": "description",
    "指标描述": "description",
    "指标解释": "description",
    "指标内容": "description",
    "指标值": "target",
    "目标值": "target",
    "指标目标值": "target",
    "年度指标值": "target",
    "指标值确定依据": "basis",
    "确定依据": "basis",
    "指标值设定依据": "basis",
    "权重": "weight",
    "分值": "weight",
    "权重分值": "weight",
    "指标性质": "comparator",
    "计量单位": "unit",
    "度量单位": "unit",
    "指标方向": "direction",
}


@functools.lru_cache(maxsize=4096)
def _label_key(text: str) -> str:
    text = to_halfwidth(text)
    text = re.sub(r"[\s:：()（）%％]", "", text)
    return text.removeprefix("其中")


@dataclass
class _Context:
    warnings: list[ParseWarning] = field(default_factory=list)

    def warn(self, message: str, line: int | None) -> None:
        self.warnings.append(ParseWarning(message=message, line=line))


@dataclass
class _ProjectSection:
    sequence: int
    title: str
    heading_line: int
    tables: list[Table] = field(default_factory=list)
    last_line: int = 0


def _text_of(block: Heading | Paragraph) -> str:
    return block.text.strip()


def _strip_numbering(text: str) -> str:
    return _NUMBERING.sub("", text, count=1).strip()


def _project_heading(block: Block) -> re.Match[str] | None:
    if isinstance(block, Table):
        return None
    return _PROJECT_HEADING.match(_text_of(block))


def _part1_section(block: Block) -> str | None:
    if not isinstance(block, Heading | Paragraph):
        return None
    text = _strip_numbering(_text_of(block))
    for section, titles in _PART1_SECTIONS.items():
        if text in titles:
            return section
    return None


def _last_line(table: Table) -> int:
    last = table.rows[-1] if table.rows else None
    if last is None:
        return table.location.line
    return max(cell.location.line for cell in last.cells) if last.cells else last.location.line


def interpret(
    blocks: Sequence[Block],
    *,
    source: SourceDocument,
    metadata: DocumentMetadata | None = None,
) -> Disclosure:
    """Map a document's blocks to a :class:`Disclosure`.

    Raises :class:`ParseError` (without a file name; the caller adds it) when the blocks are
    not a disclosure: no project table, a project without 项目编码, a table cut off.
    """
    metadata = metadata or DocumentMetadata()
    context = _Context()
    part1: dict[str, list[str]] = {name: [] for name in _PART1_SECTIONS}
    sections: list[_ProjectSection] = []
    current_part1: str | None = None

    for block in blocks:
        heading = _project_heading(block)
        if heading is not None:
            sections.append(
                _ProjectSection(int(heading["seq"]), heading["name"], block.location.line)
            )
            current_part1 = None
            continue
        if isinstance(block, Table):
            if sections:
                sections[-1].tables.append(block)
            else:
                context.warn("a table outside any project was skipped", block.location.line)
            continue
        section = _part1_section(block)
        if section is not None:
            current_part1 = section
            continue
        text = _text_of(block)
        if text in _SECTION_TITLES:
            current_part1 = None
            continue
        if current_part1 is not None and not sections:
            part1[current_part1].append(text)
        else:
            context.warn(f"text not placed: {text[:40]}", block.location.line)

    if not sections:
        first = blocks[0].location.line if blocks else 1
        raise ParseError("not a disclosure: no project table (N、…绩效目标表) found", line=first)

    department = _Department()
    projects = [_read_project(section, context, department) for section in sections]
    _check_unique_codes(projects, sections)

    code = metadata.department_code or department.code
    name = metadata.department_name or department.name
    if code is None or name is None:
        raise ParseError(
            "the department code and name are not in the document; give them in its metadata",
            line=sections[0].heading_line,
        )
    try:
        return Disclosure(
            department_code=code,
            department_name=name,
            year=metadata.year,
            region=metadata.region,
            currency_unit=metadata.currency_unit or department.currency_unit or "万元",
            publisher=metadata.publisher,
            license=metadata.license,
            source_url=metadata.source_url,
            source=source,
            overall_goal="\n".join(part1["overall"]) or None,
            itemised_goals=[_strip_numbering(t) for t in part1["itemised"]],
            safeguard_measures=part1["safeguards"],
            projects=projects,
            warnings=context.warnings,
        )
    except ValidationError as error:
        raise ParseError(_describe(error), line=sections[0].heading_line) from error


def _describe(error: ValidationError) -> str:
    where, message, given = first_validation_problem(error)
    return f"{where}: {message} (got {given!r})"


def _check_unique_codes(projects: list[Project], sections: list[_ProjectSection]) -> None:
    seen: dict[str, int] = {}
    for project, section in zip(projects, sections, strict=True):
        if project.code in seen:
            raise ParseError(
                f"项目编码 {project.code} appears twice (first at line {seen[project.code]})",
                line=section.heading_line,
            )
        seen[project.code] = section.heading_line


@dataclass
class _Department:
    code: str | None = None
    name: str | None = None
    currency_unit: str | None = None


@dataclass
class _ProjectFields:
    values: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    goals: list[str] = field(default_factory=list)
    plan: list[SpendingPlanEntry] = field(default_factory=list)
    plan_cumulative: bool = False
    # Each indicator's fields, validated with the project (see _indicator).
    indicators: list[dict[str, Any]] = field(default_factory=list)


def _nonempty(row: Row) -> list[str]:
    return [text for text in row.texts if text]


def _read_project(section: _ProjectSection, context: _Context, department: _Department) -> Project:
    rows = [row for table in section.tables for row in table.rows]
    if not rows:
        raise ParseError(
            f"the table of project {section.sequence} ({section.title}) is missing; "
            "is the file cut off?",
            line=section.heading_line,
        )
    section.last_line = _last_line(section.tables[-1])
    found = _ProjectFields()
    index = 0
    after_amounts = False
    while index < len(rows):
        row = rows[index]
        texts = row.texts
        keys = [_label_key(t) for t in texts]
        line = row.location.line
        if "一级指标" in keys and "三级指标" in keys:
            found.indicators = _read_indicators(rows[index:], keys, context, section)
            break
        if any(key.startswith(_PLAN_LABEL) for key in keys):
            values = rows[index + 1] if index + 1 < len(rows) else None
            _read_plan(row, keys, values, found, context)
            index += 2
            continue
        if _read_department(texts, department, context, line):
            index += 1
            continue
        goal_at = next((i for i, key in enumerate(keys) if key in _GOAL_LABELS), None)
        if goal_at is not None:
            for text in texts[goal_at + 1 :]:
                found.goals.extend(_strip_numbering(t) for t in text.split("\n") if t.strip())
            index += 1
            continue
        placed = _read_fields(texts, keys, found, line)
        if placed:
            after_amounts = after_amounts or "budget_total" in found.values
        elif after_amounts and "use_of_funds" not in found.values and len(_nonempty(row)) == 1:
            found.values["use_of_funds"] = _nonempty(row)[0]
            found.lines["use_of_funds"] = line
        elif _nonempty(row):
            context.warn(
                f"project {section.sequence}: row not placed: {' | '.join(_nonempty(row))[:60]}",
                line,
            )
        index += 1
    return _build_project(section, found, context)


def _read_department(
    texts: list[str], department: _Department, context: _Context, line: int
) -> bool:
    cells = [t for t in texts if t]
    if not cells or any(_label_key(t) in _FIELD_LABELS for t in cells):
        return False
    matched = False
    for text in cells:
        currency = _CURRENCY.search(to_halfwidth(text))
        if currency:
            department.currency_unit = department.currency_unit or currency["unit"]
            matched = True
            continue
        dept = _DEPARTMENT_LINE.match(to_halfwidth(text))
        if dept and not re.fullmatch(r"[\d.,\s]+", text):
            code, name = dept["code"], dept["name"].strip()
            if department.code is None:
                department.code, department.name = code, name
            elif (department.code, department.name) != (code, name):
                context.warn(f"another department in the same document: {code}{name}", line)
            matched = True
    return matched and all(
        _CURRENCY.search(to_halfwidth(t)) or _DEPARTMENT_LINE.match(to_halfwidth(t)) for t in cells
    )


def _read_fields(texts: list[str], keys: list[str], found: _ProjectFields, line: int) -> bool:
    placed = False
    index = 0
    while index < len(keys):
        key = keys[index]
        if key in _STRUCTURAL_LABELS:
            placed = True
        elif key in _FIELD_LABELS:
            name = _FIELD_LABELS[key]
            value = texts[index + 1] if index + 1 < len(texts) else ""
            found.values[name] = value
            found.lines[name] = line
            placed = True
            index += 1
        index += 1
    return placed


def _read_plan(
    header: Row, keys: list[str], values: Row | None, found: _ProjectFields, context: _Context
) -> None:
    start = next(i for i, key in enumerate(keys) if key.startswith(_PLAN_LABEL)) + 1
    periods = [(i, text) for i, text in enumerate(header.texts) if i >= start and text]
    cells = values.texts if values is not None else []
    if values is not None and any(_label_key(t) in _FIELD_LABELS for t in cells):
        context.warn("the spending plan has no row of percentages", header.location.line)
        cells = []
    line = values.location.line if values is not None else header.location.line
    for i, period in periods:
        raw = cells[i] if i < len(cells) else ""
        try:
            percent = parse_amount(raw)
        except ValueError:
            context.warn(f"spending plan {period}: {raw!r} is not a percentage", line)
            percent = None
        if percent is not None and not Decimal(0) <= percent <= Decimal(100):
            context.warn(f"spending plan {period}: {raw!r} is outside 0–100", line)
            percent = None
        found.plan.append(SpendingPlanEntry(period=period, percent=percent))
    known = [entry.percent for entry in found.plan if entry.percent is not None]
    found.plan_cumulative = "累计" in "".join(keys) or (
        len(known) > 1
        and known == sorted(known)
        and known[-1] == 100
        and sum(known, Decimal(0)) > 100
    )


def _columns(keys: Sequence[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, key in enumerate(keys):
        name = _COLUMNS.get(key)
        if name is not None and name not in columns:
            columns[name] = index
    return columns


def _cell(texts: Sequence[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    if index is None or index >= len(texts):
        return ""
    return texts[index].strip()


def _read_indicators(
    rows: Sequence[Row], header_keys: list[str], context: _Context, section: _ProjectSection
) -> list[dict[str, Any]]:
    columns = _columns(header_keys)
    header_line = rows[0].location.line
    unknown = [rows[0].texts[i] for i, key in enumerate(header_keys) if key and key not in _COLUMNS]
    if unknown:
        context.warn(
            f"project {section.sequence}: columns not read: {', '.join(unknown)}", header_line
        )
    indicators: list[dict[str, Any]] = []
    level1 = level2 = ""
    body = rows[1:]
    for position, row in enumerate(body):
        texts = row.texts
        line = row.location.line
        if not _nonempty(row):
            continue
        if len(texts) < len(header_keys):
            if position == len(body) - 1:
                raise ParseError(
                    f"project {section.sequence}: the last indicator row has {len(texts)} of "
                    f"{len(header_keys)} cells; is the file cut off?",
                    line=line,
                )
            context.warn(
                f"project {section.sequence}: indicator row has {len(texts)} of "
                f"{len(header_keys)} cells",
                line,
            )
        elif len(texts) > len(header_keys):
            extra = " | ".join(t for t in texts[len(header_keys) :] if t)
            if extra:
                context.warn(
                    f"project {section.sequence}: cells beyond the header: {extra[:40]}", line
                )
        level1 = _cell(texts, columns, "level1") or level1
        level2 = _cell(texts, columns, "level2") or level2
        indicators.append(
            _indicator(
                len(indicators) + 1, level1, level2, texts, columns, context, line, _where(row)
            )
        )
    return indicators


def _indicator(
    ordinal: int,
    level1: str,
    level2: str,
    texts: Sequence[str],
    columns: dict[str, int],
    context: _Context,
    line: int,
    where: str | None = None,
) -> dict[str, Any]:
    name = _cell(texts, columns, "name")
    if not name:
        context.warn(f"indicator {ordinal} has no name (三级指标)", line)
    raw_target = "".join(_cell(texts, columns, part) for part in ("comparator", "target", "unit"))
    weight_text = _cell(texts, columns, "weight")
    try:
        weight = parse_amount(weight_text)
    except ValueError:
        context.warn(f"indicator {ordinal}: weight {weight_text!r} is not a number", line)
        weight = None
    concept1 = lookup_level1(level1)
    concept2 = lookup_level2(level2)
    # The fields of an Indicator, validated with their project in one call: building the
    # five models of each indicator one by one took a fifth of the reading time.
    return {
        "ordinal": ordinal,
        "level1": {"label": level1, "concept": concept1.code if concept1 else None},
        "level2": {"label": level2, "concept": concept2.code if concept2 else None},
        "name": name,
        "description": _cell(texts, columns, "description") or None,
        "target": target_fields(raw_target),
        "basis": _cell(texts, columns, "basis") or None,
        "weight": weight,
        "direction": _cell(texts, columns, "direction") or None,
        "source": {"first": line, "last": line, "where": where},
    }


def _where(row: Row) -> str | None:
    """``table 3, row 9`` for formats with real tables (Word), where lines alone are vague."""
    return str(row.location) if row.location.table is not None else None


def _amount(found: _ProjectFields, name: str, context: _Context, label: str) -> Decimal | None:
    raw = found.values.get(name)
    try:
        return parse_amount(raw)
    except ValueError:
        context.warn(f"{label} {raw!r} is not a number", found.lines.get(name))
        return None


def _build_project(section: _ProjectSection, found: _ProjectFields, context: _Context) -> Project:
    code = found.values.get("code", "").strip()
    if not code:
        raise ParseError(
            f"项目编码 is missing in the table of project {section.sequence} ({section.title})",
            line=section.heading_line,
        )
    if not re.match(CODE_PATTERN, code):
        raise ParseError(
            f"项目编码 {code!r} of project {section.sequence} is not a code: "
            "use letters, digits, '-', '_' and '.' only",
            line=found.lines.get("code", section.heading_line),
        )
    name = found.values.get("name", "").strip() or section.title
    if name != section.title:
        context.warn(
            f"project {section.sequence}: 项目名称 {name!r} differs from its heading "
            f"{section.title!r}",
            found.lines.get("name"),
        )
    try:
        return Project(
            sequence=section.sequence,
            code=code,
            name=name,
            budget_total=_amount(found, "budget_total", context, "预算数"),
            fiscal_funds=_amount(found, "fiscal_funds", context, "财政资金"),
            other_funds=_amount(found, "other_funds", context, "其他资金"),
            use_of_funds=found.values.get("use_of_funds") or None,
            spending_plan=found.plan,
            spending_plan_cumulative=found.plan_cumulative,
            goals=found.goals,
            indicators=found.indicators,
            source=SourceLine(
                first=section.heading_line, last=max(section.last_line, section.heading_line)
            ),
        )
    except ValidationError as error:
        raise ParseError(
            f"project {section.sequence}: {_describe(error)}",
            line=_indicator_line(error, found) or found.lines.get("code", section.heading_line),
        ) from error


def _indicator_line(error: ValidationError, found: _ProjectFields) -> int | None:
    """The line of the indicator a validation error is about, if it is about one."""
    where = error.errors()[0]["loc"]
    if len(where) >= 2 and where[0] == "indicators" and isinstance(where[1], int):
        line: int = found.indicators[where[1]]["source"]["first"]
        return line
    return None
