"""Rules on what indicators say: DQ09 (off-topic, copied indicators) and DQ15 (description
of another indicator).

DQ09 works from the documents alone, with no word list. Over every project audited together
it learns:

- *how telling a word is*: an IDF weight over the distinct indicator texts and the project
  contexts (name, use of funds, goals), so boilerplate such as 发放 or 工作 weighs little.
  A project that recurs under the same name (another year, another copy) counts once;
- *which words are measurement vocabulary*: the scheme's own names of what is measured
  (满意度, 数量, 质量, 时效, 成本, taken from :mod:`toolkit.vocab`), and any word used by
  ``generic_texts`` or more distinct indicators (and at least ``generic_ratio`` of them) in
  as many projects (比例, 完成率). An indicator whose content words cover less than
  ``generic_share`` of its text, plus ``generic_share_spread`` times the share of its
  disclosure's projects that use it, is *generic*: overall satisfaction reused everywhere is
  not off-topic by itself;
- *which texts recur*: the same indicator (name and description) in several projects.

An indicator *fits* its project when the weighted share of its words found in the project's
context reaches ``similarity``; context words that many projects share count less. The
project's *own* indicators (texts no other project uses) also fit when they reach half of it
against own indicators that already fit, so a village-sewage indicator joins an environmental
project through the sanitation indicator that names the environment. Recurring texts must fit
on their own and never widen the context.

A specific indicator that does not fit is reported: as a *copy* when the same text recurs in
other projects (the evidence names them, and the project it does fit, if any); as *unrelated*
when it is the project's own, unless most of the project's own indicators fit and this one
shares a word with the project, or ``similarity`` of its weighted characters (执法 and 违法),
or has fewer than ``min_content_chars`` characters of content.

Statistics take one pass over the indicators; each indicator is then compared with its own
project and each recurring text once with its projects, so the cost grows linearly with the
corpus.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import NamedTuple

from toolkit.model import Disclosure, Indicator, Project
from toolkit.quality.base import Hit, evidence
from toolkit.quality.corpus import Corpus, indicator_key
from toolkit.quality.text import normalise

__all__ = [
    "Corpus",
    "LabelledProject",
    "check_relevance",
    "dq09_off_topic",
    "dq15_description",
    "labelled_project",
    "name_overlap",
]

MAX_LISTED = 20  # projects named in one finding's evidence; the message gives the full count


def _rounded(value: float) -> str:
    return str(Decimal(value).quantize(Decimal("0.001")))


def _label(corpus: Corpus, number: int, disclosure: Disclosure) -> str:
    """How the evidence names another project (``shared_with``, ``fits``): ``CODE NAME`` in
    the finding's own disclosure, ``DEPARTMENT/YEAR/CODE NAME`` in another (the year empty
    where that disclosure has none). :func:`labelled_project` reads it."""
    other, project = corpus.projects[number]
    prefix = "" if other is disclosure else f"{other.department_code}/{other.year or ''}/"
    return f"{prefix}{project.code} {project.name}"


class LabelledProject(NamedTuple):
    """A project the evidence names; ``department_code`` is ``None`` for one of the
    finding's own disclosure, and ``year`` for one whose disclosure has no year too."""

    department_code: str | None
    year: int | None
    code: str
    name: str


def labelled_project(label: str) -> LabelledProject:
    """The project a label of :func:`_label`'s names. Codes have no space or "/" (they are
    path segments of IRIs); names may have anything."""
    qualified, _, name = label.partition(" ")
    if "/" not in qualified:
        return LabelledProject(None, None, qualified, name)
    department, year, code = qualified.split("/", 2)
    return LabelledProject(department, int(year) if year.isdigit() else None, code, name)


def _fitting(number: int, corpus: Corpus, own: list[Indicator]) -> tuple[set[int], set[str]]:
    """The project's own indicators that fit it, and the words they bring.

    An own indicator fits when it reaches ``similarity`` against the project's context, or
    half of it against the words of own indicators that already fit: a sewage indicator
    joins through the sanitation indicator that names the environment."""
    threshold = float(corpus.config.similarity)
    context = corpus.contexts[number]
    fitting: set[int] = set()
    joined: set[str] = set()
    changed = True
    while changed:  # bounded by the project's own indicators: each joins at most once
        changed = False
        for indicator in own:
            if indicator.ordinal in fitting:
                continue
            key = indicator_key(indicator)
            if (
                corpus.similarity(corpus.words[key], context, number) >= threshold
                or corpus.similarity(corpus.words[key], joined) >= threshold / 2
            ):
                fitting.add(indicator.ordinal)
                joined |= corpus.texts[key]
                changed = True
    return fitting, joined


def dq09_off_topic(project: Project, corpus: Corpus, number: int) -> Iterator[Hit]:
    """Specific indicators that fit neither the project's context nor its own fitting
    indicators. A text that recurs in other projects is reported as a copy. A text used only
    here is reported when the project's own indicators mostly do not fit it either, or, when
    they do, if it has real content and shares no word with anything else in the project.
    ``number`` is the project's position in the corpus (projects in document order)."""
    disclosure = corpus.projects[number][0]
    config = corpus.config
    threshold = float(config.similarity)
    specific = [i for i in project.indicators if not corpus.is_generic(i, number)]
    own = [i for i in specific if corpus.topics[indicator_key(i)] == {corpus.topic[number]}]
    fitting, joined = _fitting(number, corpus, own)
    widened = corpus.contexts[number] | joined
    mostly_fitting = 2 * len(fitting) > len(own)
    # words that two or more of the project's indicators use: a lone indicator has none
    seen: dict[str, int] = defaultdict(int)
    for indicator in project.indicators:
        for word in corpus.texts[indicator_key(indicator)]:
            seen[word] += 1
    shared = {word for word, times in seen.items() if times > 1}
    seen_chars: dict[str, int] = defaultdict(int)
    for indicator in project.indicators:
        for char in corpus.chars[indicator_key(indicator)]:
            seen_chars[char] += 1
    near = corpus.context_chars[number] | {c for c, times in seen_chars.items() if times > 1}
    for indicator in specific:
        key = indicator_key(indicator)
        words = corpus.words[key]
        if indicator.ordinal in fitting or corpus.similarity(words, widened, number) >= threshold:
            continue
        similarity = _rounded(corpus.similarity(words, corpus.contexts[number]))
        count = len(corpus.users[key]) - 1
        params = {"similarity": similarity, "others": str(count)}
        if len(corpus.topics[key]) == 1:
            if mostly_fitting:
                isolated = (
                    corpus.similarity(words, widened | shared, number) < threshold / 2
                    and corpus.char_similarity(key, near) < threshold
                )
                if not isolated or corpus.content_chars(indicator) < config.min_content_chars:
                    continue
            yield Hit("DQ09", "unrelated", params, indicator, evidence(similarity=similarity))
            continue
        listed: list[int] = []
        for n in corpus.users[key]:
            if n != number:
                listed.append(n)
            if len(listed) == MAX_LISTED:
                break
        details: dict[str, object] = {
            "similarity": similarity,
            "shared_with": [_label(corpus, n, disclosure) for n in listed],
            "shared_count": count,
        }
        best_score, best = next(fit for fit in corpus.best_fits(key) if fit[1] != number)
        if best_score >= threshold:
            details["fits"] = _label(corpus, best, disclosure)
            details["fits_similarity"] = _rounded(best_score)
        yield Hit("DQ09", "copied", params, indicator, evidence(**details))


def name_overlap(indicator: Indicator) -> float:
    """Share of the distinct characters of the name that the description contains."""
    name = set(normalise(indicator.name))
    if not name:
        return 1.0
    description = set(normalise(indicator.description or ""))
    return len(name & description) / len(name)


def dq15_description(indicator: Indicator, minimum: Decimal) -> Hit | None:
    """A description that shares (almost) no character with the indicator's name."""
    if not normalise(indicator.description or ""):
        return None
    overlap = name_overlap(indicator)
    if overlap >= float(minimum):
        return None
    return Hit(
        "DQ15",
        "mismatch",
        {"description": (indicator.description or "").strip()},
        indicator,
        evidence(overlap=_rounded(overlap)),
    )


def check_relevance(project: Project, corpus: Corpus, number: int) -> Iterator[Hit]:
    """DQ09 and DQ15 as the corpus's configuration enables them, on project ``number``."""
    config = corpus.config
    if config.runs("DQ09"):
        yield from dq09_off_topic(project, corpus, number)
    if config.runs("DQ15"):
        for indicator in project.indicators:
            if (hit := dq15_description(indicator, config.name_description_overlap)) is not None:
                yield hit
