"""Seeded synthetic disclosures in the text-export layout of examples/xicheng-2020.

Each document varies as real ones do (DOMAIN.md): departments and years, 3–40 projects of
3–25 indicators each (skewed small, as published tables are), optional parts (Part 1, the
spending plan, goals, other funds), every target form, merged level-1 cells, legacy and
post-2021 category labels, amounts in 元 with thousands separators, extra columns (权重; a
separate comparator and unit), other spending-plan periods, page numbers between tables,
occasional indicators copied from an unrelated project, and some files in CRLF, GB18030 or
UTF-8 with a byte-order mark.

The same seed gives the same bytes: every document has its own ``random.Random`` seeded from
the corpus seed and its index, so documents do not depend on each other or on the corpus size.

    python -m benchmarks.generate OUT --count 100 --seed 1
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path

__all__ = ["GeneratedDocument", "generate_corpus", "generate_document"]

YEARS = (2019, 2020, 2021, 2022, 2023, 2024)
REGIONS = ("河北省定州市", "河北省保定市", "山东省济南市", "浙江省湖州市", "四川省绵阳市")
DISTRICTS = ("西城区", "东城区", "南城区", "北城区", "开发区", "高新区", "经济区", "新城区")
OFFICES = (
    "政府办公室", "教育局", "卫生健康局", "民政局", "农业农村局", "交通运输局", "水务局",
    "文化和旅游局", "生态环境局", "住房和城乡建设局", "人力资源和社会保障局", "应急管理局",
)  # fmt: skip

# A theme gives a project its words: the name, the use of funds, the goals and the indicators
# share them, so an indicator copied from another theme is off-topic for real (DQ09).
THEMES: tuple[tuple[str, str, str], ...] = (
    ("道路养护", "路面", "公里"),
    ("农村饮水安全", "供水", "处"),
    ("义务教育营养改善", "学生", "人"),
    ("困难群众救助", "救助", "户"),
    ("公共文化服务", "文化活动", "场"),
    ("河道综合治理", "河道", "公里"),
    ("老旧小区改造", "小区", "个"),
    ("基层卫生服务", "诊疗", "人次"),
    ("农业产业化扶持", "合作社", "家"),
    ("安全生产监管", "检查", "次"),
    ("绿化养护", "绿地", "亩"),
    ("就业培训", "培训", "人次"),
    ("党组织活动", "党员", "人"),
    ("垃圾清运", "垃圾", "吨"),
    ("信息化建设", "系统", "套"),
)
PROJECT_KINDS = ("经费", "项目", "专项资金", "补助资金", "工程")
BASES = (
    "计划标准", "行业标准", "历史标准", "标准", "", "《项目实施方案》", "上级文件要求",
    "按照当地文件标准", "年度工作计划",
)  # fmt: skip
PERIODS = (
    ("3月底", "6月底", "10月底", "12月底"),
    ("一季度", "二季度", "三季度", "四季度"),
    ("上半年", "下半年"),
)
SATISFACTION = ("≥90%", "不低于95%", "95%以上", "＝１００％", "≥90百分比", ">=85%", "大于等于90%")


@dataclass(frozen=True)
class GeneratedDocument:
    """One generated file and what the reader must find in it."""

    file: str
    department_code: str
    department_name: str
    year: int
    projects: int
    indicators: int
    encoding: str
    newline: str
    bom: bool


@dataclass
class _Layout:
    currency: str
    weights: bool
    split_target: bool
    periods: tuple[str, ...] | None
    legacy_outcome: bool
    indicators: tuple[int, int]


def _money(rng: random.Random, layout: _Layout) -> Decimal:
    wan = Decimal(rng.randint(5, 500_000)) / 100  # 0.05 to 5,000 万元
    return wan if layout.currency == "万元" else wan * 10_000


def _amount_text(value: Decimal | None, layout: _Layout) -> str:
    if value is None:
        return ""
    return f"{value:,.2f}" if layout.currency == "元" else f"{value:.2f}"


def _target(rng: random.Random, kind: str, unit: str) -> str:
    """A target value in one of the forms of DOMAIN.md, chosen by the indicator's kind."""
    roll = rng.random()
    if roll < 0.03:
        return rng.choice(["", "XX", "**", "个"])
    if kind == "count":
        n = rng.randint(1, 60000)
        return rng.choice([f"≥{n}{unit}", f"{n}{unit}", f"不少于{n}{unit}", f">={n}{unit}"])
    if kind == "rate":
        p = rng.randint(80, 100)
        return rng.choice([f"≥{p}%", f"{p}%", f"≥{p}百分比", "100%", f"{p}%以上", "＝１００％"])
    if kind == "time":
        d = rng.randint(1, 30)
        return rng.choice([f"{d}天以内", f"≤{d}天", f"不超过{d}个工作日", "12月底前", "＜30天"])
    if kind == "cost":
        m = rng.randint(1, 2000)
        return rng.choice(
            [f"≤{m}万元", "≥0万元/个", f"{m}元/人", f"不高于{m:,}.50万元", f"＜{m}万元"]
        )
    if kind == "years":
        return rng.choice(["≥10年", "≥5年", "长期", "＞３年"])
    if kind == "satisfaction":
        return rng.choice(SATISFACTION)
    return rng.choice(["明显改善", "有效提升", "按照当地文件标准", "持续改善", "逐步提高"])


def _indicator_templates(theme: tuple[str, str, str], year: int, layout: _Layout):
    name, word, unit = theme
    outcome = "效果指标" if layout.legacy_outcome else "效益指标"
    cost = ("成本指标", "经济成本指标") if year >= 2021 else ("产出指标", "成本指标")
    return [
        ("产出指标", "数量指标", f"{word}完成数量", f"全年完成{name}{word}数量", "count", unit),
        ("产出指标", "数量指标", f"{name}覆盖范围", f"{name}覆盖的{word}数", "count", unit),
        ("产出指标", "质量指标", f"{word}合格率", f"{name}验收合格的比例", "rate", "%"),
        ("产出指标", "时效指标", f"{name}完成时限", f"{name}按时完成", "time", "天"),
        ("产出指标", "时效指标", "资金到位率", "实际到位资金占应到位资金的比例", "rate", "%"),
        (*cost, f"{name}成本", f"{name}单位成本控制", "cost", "万元"),
        (outcome, "社会效益指标", f"{word}受益人数", f"{name}惠及的群众人数", "count", "人"),
        (outcome, "社会效益指标", f"{name}社会影响", f"{name}改善群众生活", "quality", ""),
        (outcome, "经济效益指标", f"带动{word}收入", f"{name}带动相关收入", "cost", "万元"),
        (outcome, "生态效益指标", f"{word}环境改善", f"{name}改善周边环境", "quality", ""),
        (outcome, "环境效益指标", f"{word}污染减少", f"{name}减少污染", "rate", "%"),
        (outcome, "可持续影响指标", f"{name}长效机制", f"{name}效果持续年限", "years", "年"),
        ("满意度指标", "服务对象满意度指标", "群众满意度", "群众满意数量占总数的比例",
         "satisfaction", "%"),
        ("满意度指标(10分)", "服务对象满意度指标", f"{word}对象满意度", f"{name}服务对象满意",
         "satisfaction", "%"),
    ]  # fmt: skip


def _split(target: str) -> tuple[str, str, str]:
    """A target as a comparator, a value and a unit column (the split layout)."""
    comparator = ""
    for symbol in ("≥", "≤", ">=", "<=", "＞", "＜", "＝", ">", "<", "="):
        if target.startswith(symbol):
            comparator, target = symbol, target[len(symbol) :]
            break
    digits = len(target) - len(target.lstrip("0123456789.,"))
    return comparator, target[:digits], target[digits:]


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def row(self, *cells: str) -> None:
        for cell in cells:
            first, *rest = cell.split("\n")
            self.lines.append(f"\t{first}")
            self.lines.extend(rest)  # continuation lines of a multi-line cell have no tab
        self.lines.append("")

    def text(self, *lines: str) -> None:
        self.lines.extend(lines)


def _part_one(w: _Writer, rng: random.Random, department: str) -> None:
    w.text("第一部分", "部门整体绩效目标")
    if rng.random() < 0.9:
        w.text("一、总体绩效目标 TC 总体绩效目标 \\f A \\l 1 ")
        w.text(f"    {department}围绕年度重点工作，认真落实各项工作安排，提高资金使用效益。", "")
    if rng.random() < 0.8:
        w.text("二、分项绩效目标 TC 分项绩效目标 \\f A \\l 1 ")
        for i in range(1, rng.randint(2, 9)):
            w.text(f"{i}、完成{rng.choice(THEMES)[0]}相关任务，年内完成率达到{90 + i}%。", "")
    if rng.random() < 0.7:
        w.text("三、工作保障措施 TC 工作保障措施 \\f A \\l 1 ")
        for phrase in ("一是依法理财，细化项目编制。", "二是绩效导向，强化预算约束。")[
            : rng.randint(1, 2)
        ]:
            w.text(f"    {phrase}", "")


def _project(
    w: _Writer,
    rng: random.Random,
    seq: int,
    code: str,
    dept_line: str,
    theme: tuple[str, str, str],
    year: int,
    layout: _Layout,
    copied: list[tuple[str, ...]],
) -> int:
    name = f"{theme[0]}{rng.choice(PROJECT_KINDS)}"
    heading = f"{seq}、{name}绩效目标表"
    w.text(f"{heading} TC {heading} \\f C \\l 1 ")
    w.row(dept_line, f"单位：{layout.currency}")
    w.row("项目编码", code, "项目名称", name)
    fiscal = _money(rng, layout)
    other = _money(rng, layout) if rng.random() < 0.2 else None
    total = fiscal + (other or 0)
    w.row(
        "预算规模及资金用途", "预算数", _amount_text(total, layout), "其中：财政资金",
        _amount_text(fiscal, layout), "其他资金", _amount_text(other, layout),
    )  # fmt: skip
    if rng.random() < 0.9:
        w.row("", f"用于{theme[0]}{theme[1]}支出，保障{name}顺利实施")
    if layout.periods is not None and rng.random() < 0.85:
        shares = _shares(rng, len(layout.periods))
        w.row("资金支出计划（%）", *layout.periods)
        w.row("", *shares)
    if rng.random() < 0.9:
        goals = [f"完成{theme[0]}{theme[1]}任务", "按进度支出", f"群众满意度达到{88 + seq % 10}%"]
        count = rng.randint(1, 3)
        w.row(
            rng.choice(["绩效目标", "年度目标"]),
            "\n".join(f"{i + 1}、{g}" for i, g in enumerate(goals[:count])),
        )
        w.text("")
    header = ["一级指标", "二级指标", "三级指标", "绩效指标描述"]
    header += ["指标性质", "指标值", "计量单位"] if layout.split_target else ["指标值"]
    header += ["指标值确定依据"] + (["权重"] if layout.weights else [])
    w.row(*header)
    templates = _indicator_templates(theme, year, layout)
    low, high = layout.indicators
    count = round(rng.triangular(low, high, min(high, low + 3)))
    rows = []
    for _ in range(count):
        if copied and rng.random() < 0.04:
            rows.append(rng.choice(copied))  # copied from an unrelated project
        else:
            level1, level2, ind, description, kind, unit = rng.choice(templates)
            rows.append((level1, level2, ind, description, _target(rng, kind, unit)))
    order = {template[0]: position for position, template in enumerate(templates)}
    rows.sort(key=lambda row: order.get(row[0], len(order)))  # level-1 groups, as published
    copied.extend(rows[:2])
    previous_level1 = None
    for level1, level2, ind, description, target in rows:
        shown = "" if level1 == previous_level1 else level1  # a merged cell in Word
        previous_level1 = level1
        cells = [shown, level2, ind, description]
        cells += list(_split(target)) if layout.split_target else [target]
        cells.append(rng.choice(BASES))
        if layout.weights:
            cells.append(str(rng.randint(1, 20)))
        w.row(*cells)
    w.text("")
    if rng.random() < 0.3:
        w.text(str(seq + 1), "")  # a page number between tables
    return count


def _shares(rng: random.Random, n: int) -> list[str]:
    if rng.random() < 0.1:
        return [""] * n  # an empty plan row, as some departments publish
    cuts = sorted(rng.sample(range(1, 100), n - 1))
    values = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
    return [f"{v:.2f}" for v in values]


def generate_document(
    index: int,
    *,
    seed: int = 0,
    projects: tuple[int, int] = (3, 40),
    indicators: tuple[int, int] = (3, 25),
) -> tuple[bytes, GeneratedDocument]:
    """Document ``index`` of the corpus of ``seed``: its bytes and what it contains.

    ``projects`` and ``indicators`` (per project) are the ranges drawn from, skewed towards
    their low end as published tables are; tests shrink them to stay fast."""
    rng = random.Random(f"jixiao-bench-{seed}-{index}")
    year = YEARS[index % len(YEARS)]
    department_index = index // len(YEARS)
    department_code = f"{900000 + department_index * 7 % 99991}"
    district = DISTRICTS[department_index % len(DISTRICTS)]
    office = OFFICES[(department_index // len(DISTRICTS)) % len(OFFICES)]
    department_name = f"{district}{office}"
    layout = _Layout(
        currency="元" if rng.random() < 0.1 else "万元",
        weights=rng.random() < 0.15,
        split_target=rng.random() < 0.1,
        periods=rng.choice(PERIODS) if rng.random() < 0.9 else None,
        legacy_outcome=rng.random() < 0.5,
        indicators=indicators,
    )
    w = _Writer()
    if rng.random() < 0.9:
        _part_one(w, rng, department_name)
    w.text("第二部分", "预算项目绩效目标")
    project_count = round(rng.triangular(*projects, min(projects[1], projects[0] + 5)))
    themes = rng.sample(THEMES, k=min(project_count, len(THEMES)))
    indicator_count = 0
    copied: list[tuple[str, ...]] = []
    for seq in range(1, project_count + 1):
        kind = rng.choice(["YCN", "XMZ", "ZXZ"])
        code = f"{department_code}-{seq:04d}-{kind}-{rng.randrange(16**4):04X}"
        theme = themes[(seq - 1) % len(themes)]
        dept_line = f"{department_code}{department_name}"
        indicator_count += _project(w, rng, seq, code, dept_line, theme, year, layout, copied)
    text = "\n".join(w.lines) + "\n"
    roll = rng.random()
    encoding, newline, bom = "utf-8", "\n", False
    if roll < 0.08:
        newline = "\r\n"
    elif roll < 0.14:
        encoding, newline = "gb18030", "\r\n"
    elif roll < 0.20:
        bom = True
    data = text.replace("\n", newline).encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    name = f"{year}/{department_code}-{year}.txt"
    info = GeneratedDocument(
        name,
        department_code,
        department_name,
        year,
        project_count,
        indicator_count,
        encoding,
        newline,
        bom,
    )
    return data, info


def generate_corpus(
    folder: Path,
    count: int,
    *,
    seed: int = 0,
    projects: tuple[int, int] = (3, 40),
    indicators: tuple[int, int] = (3, 25),
) -> list[GeneratedDocument]:
    """Write ``count`` documents, their sidecar metadata, ``jixiao.toml`` and
    ``manifest.json`` (what each document contains) into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    documents = []
    for index in range(count):
        data, info = generate_document(index, seed=seed, projects=projects, indicators=indicators)
        path = folder / info.file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        region = REGIONS[index % len(REGIONS)]
        path.with_suffix(".meta.toml").write_text(
            f'year = {info.year}\nregion = "{region}"\npublisher = "{info.department_name}"\n',
            encoding="utf-8",
        )
        documents.append(info)
    (folder / "jixiao.toml").write_text(
        f'output = "build"\ntimestamp = 2026-01-01T00:00:00Z\nlicense = "CC-BY-4.0"\n\n[site]\n'
        f'title = "合成语料 {count} 份"\nbase_url = "https://example.org/bench"\n\n'
        f'[[documents]]\npath = "*/*.txt"\n',
        encoding="utf-8",
    )
    manifest = [asdict(d) for d in documents]
    (folder / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return documents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    documents = generate_corpus(args.folder, args.count, seed=args.seed)
    print(f"{len(documents)} documents in {args.folder}")


if __name__ == "__main__":
    main()
