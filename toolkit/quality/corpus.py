"""Word statistics over the projects audited together, for DQ09 (see relevance.py).

``Corpus.of`` makes one pass over the indicators and records, per distinct indicator text
(name and description, normalised): its words, character pairs and characters, and the
projects and topics that use it; per project: its context (name, use of funds, goals). A
*topic* is a project name: the same project in several documents counts once. From these
come each word's IDF weight, whether it is measurement vocabulary, and the similarity of a
text to a context.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from toolkit.model import Disclosure, Indicator, Project
from toolkit.quality import text as _text
from toolkit.quality.config import AuditConfig
from toolkit.quality.text import bigrams, features, normalise
from toolkit.vocab import CONCEPTS

__all__ = ["PARTIAL", "SCHEME_MEASURES", "Corpus", "indicator_key"]

PARTIAL = 0.5  # credit for a word of which only a character pair is found


def _scheme_measures() -> frozenset[str]:
    """The framework's own names of what is measured (产出, 效益, 满意度, 数量, 质量, 时效,
    成本…), from the level-1 labels and the output dimensions of the scheme: they say how a
    target is measured, never what a project is about."""
    labels = [
        label for c in CONCEPTS if c.level == 1 or c.broader == "output" for label in c.labels
    ]
    return frozenset().union(*(features(label.removesuffix("指标")) for label in labels))


SCHEME_MEASURES = _scheme_measures()


def _indicator_text(indicator: Indicator) -> str:
    return f"{indicator.name} {indicator.description or ''}"


def indicator_key(indicator: Indicator) -> tuple[str, str]:
    return normalise(indicator.name), normalise(indicator.description or "")


def _chars(text: str) -> frozenset[str]:
    return frozenset(normalise(text))


def _context_text(project: Project) -> str:
    return " ".join([project.name, project.use_of_funds or "", *project.goals])


@dataclass
class Corpus:
    """Word statistics over the projects audited together. Build with :meth:`of`."""

    config: AuditConfig
    projects: list[tuple[Disclosure, Project]] = field(default_factory=list)
    contexts: list[frozenset[str]] = field(default_factory=list)
    users: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    texts: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    words: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    text_count: dict[str, int] = field(default_factory=dict)
    context_count: dict[str, int] = field(default_factory=dict)
    spread: dict[str, set[int]] = field(default_factory=dict)
    topic: list[int] = field(default_factory=list)
    context_topics: list[frozenset[str]] = field(default_factory=list)
    context_chars: list[frozenset[str]] = field(default_factory=list)
    chars: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    char_count: dict[str, int] = field(default_factory=dict)
    topics: dict[tuple[str, str], set[int]] = field(default_factory=dict)
    owner: list[int] = field(default_factory=list)
    uses: dict[tuple[tuple[str, str], int], int] = field(default_factory=dict)
    _coverages: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    # Per word, once: the similarity of every text asks again for the same words.
    _generic: dict[str, bool] = field(default_factory=dict)
    _weights: dict[str, float] = field(default_factory=dict)
    _factors: dict[str, float] = field(default_factory=dict)
    _best: dict[tuple[str, str], list[tuple[float, int]]] = field(default_factory=dict)

    @classmethod
    def of(cls, disclosures: Sequence[Disclosure], config: AuditConfig) -> Corpus:
        corpus = cls(config)
        users: dict[tuple[str, str], list[int]] = defaultdict(list)
        uses: dict[tuple[tuple[str, str], int], int] = defaultdict(int)
        topics: dict[tuple[str, str], set[int]] = defaultdict(set)
        # The same project in several documents (another year, a reissue) is one topic: its
        # indicators recurring there are not copies, and it counts once in the statistics.
        topic_of: dict[str, int] = {}
        first_context: list[frozenset[str]] = []
        topic_start: list[int] = []
        for position, disclosure in enumerate(disclosures):
            for project in disclosure.projects:
                number = len(corpus.projects)
                corpus.owner.append(position)
                corpus.projects.append((disclosure, project))
                context = features(_context_text(project))
                corpus.contexts.append(context)
                corpus.context_chars.append(_chars(_context_text(project)))
                topic = topic_of.setdefault(normalise(project.name), len(topic_of))
                if topic == len(first_context):
                    first_context.append(context)
                    topic_start.append(number)
                corpus.topic.append(topic)
                for indicator in project.indicators:
                    key = indicator_key(indicator)
                    if key not in corpus.texts:
                        corpus.texts[key] = features(_indicator_text(indicator))
                        corpus.words[key] = _text.words(_indicator_text(indicator))
                        corpus.chars[key] = _chars(_indicator_text(indicator))
                    if not users[key] or users[key][-1] != number:
                        users[key].append(number)
                        uses[key, position] += 1
                        topics[key].add(topic)
        corpus.users, corpus.uses, corpus.topics = dict(users), dict(uses), dict(topics)
        text_count: dict[str, int] = defaultdict(int)
        spread: dict[str, set[int]] = defaultdict(set)
        for key, words in corpus.texts.items():
            for word in words:
                text_count[word] += 1
                # counting projects stops at the threshold: that is all is_generic_word needs
                if len(spread[word]) < config.generic_texts:
                    spread[word].update(sorted(corpus.topics[key])[: config.generic_texts])
        context_count: dict[str, int] = defaultdict(int)
        for words in first_context:
            for word in words:
                context_count[word] += 1
        corpus.text_count, corpus.spread = dict(text_count), dict(spread)
        corpus.context_count = dict(context_count)
        corpus.context_topics = first_context
        char_count: dict[str, int] = defaultdict(int)
        topic_chars = [corpus.context_chars[topic_start[t]] for t in range(len(topic_start))]
        for group in (*corpus.chars.values(), *topic_chars):
            for char in group:
                char_count[char] += 1
        corpus.char_count = dict(char_count)
        return corpus

    def is_generic_word(self, word: str) -> bool:
        """Measurement vocabulary: a name of the scheme's dimensions, or a word in many
        different indicators, in several projects."""
        generic = self._generic.get(word)
        if generic is None:
            generic = self._generic[word] = self._is_generic_word(word)
        return generic

    def _is_generic_word(self, word: str) -> bool:
        if word in SCHEME_MEASURES:
            return True
        texts = max(self.config.generic_texts, float(self.config.generic_ratio) * len(self.texts))
        return (
            self.text_count.get(word, 0) >= texts
            and len(self.spread.get(word, ())) >= self.config.generic_texts
        )

    def weight(self, word: str) -> float:
        """IDF over distinct indicator texts and contexts; 0 for measurement vocabulary."""
        weight = self._weights.get(word)
        if weight is None:
            weight = self._weights[word] = self._weight(word)
        return weight

    def _weight(self, word: str) -> float:
        if self.is_generic_word(word):
            return 0.0
        documents = len(self.texts) + len(self.context_topics)
        seen = self.text_count.get(word, 0) + self.context_count.get(word, 0)
        return math.log((documents + 1) / (seen + 1)) + 1.0

    def context_factor(self, word: str) -> float:
        """1 for a word of one project's context, 1/P for a word of every context."""
        factor = self._factors.get(word)
        if factor is None:
            shared = max(self.context_count.get(word, 0) - 1, 0)
            factor = self._factors[word] = 1.0 - shared / max(len(self.context_topics), 1)
        return factor

    def similarity(
        self, words: frozenset[str], context: Iterable[str], number: int | None = None
    ) -> float:
        """Weighted share of the words ``words`` found in ``context`` (0 to 1).

        A word found whole counts fully; a longer word of which only a character pair is
        found (人居环境 in 环境治理) counts ``PARTIAL``. Words of project ``number``'s own
        context count by their context factor; words that joined the context from the
        project's own indicators count fully."""
        context = context if isinstance(context, (set, frozenset)) else set(context)
        original = self.contexts[number] if number is not None else context

        def factor(word: str) -> float:
            return self.context_factor(word) if word in original else 1.0

        total = matched = 0.0
        for word in sorted(words):  # a fixed order keeps float sums identical run to run
            weight = self.weight(word)
            total += weight
            if not weight:
                continue
            if word in context:
                matched += weight * factor(word)
                continue
            parts = [p for p in bigrams(word) if p in context and not self.is_generic_word(p)]
            if parts:
                matched += PARTIAL * weight * max(factor(part) for part in parts)
        return matched / total if total else 0.0

    def specific_share(self, indicator: Indicator) -> float:
        """Share of the indicator's worded characters covered by content words only."""
        specific, worded = self._coverage(indicator)
        return specific / worded if worded else 0.0

    def char_similarity(self, key: tuple[str, str], context: Iterable[str]) -> float:
        """Weighted share of the text's characters found in ``context``: the last resort of
        a lone indicator, which shares a character (执法, 违法) where it shares no word."""
        found = context if isinstance(context, (set, frozenset)) else set(context)
        documents = len(self.texts) + len(self.context_topics)
        total = matched = 0.0
        for char in sorted(self.chars[key]):
            weight = math.log((documents + 1) / (self.char_count.get(char, 0) + 1)) + 1.0
            total += weight
            if char in found:
                matched += weight
        return matched / total if total else 0.0

    def content_chars(self, indicator: Indicator) -> int:
        """How many distinct characters the indicator's content words are made of."""
        words = self.texts[indicator_key(indicator)]
        return len(set().union(*(set(w) for w in words if not self.is_generic_word(w))))

    def _coverage(self, indicator: Indicator) -> tuple[int, int]:
        key = indicator_key(indicator)
        if key not in self._coverages:
            self._coverages[key] = self._count_coverage(indicator)
        return self._coverages[key]

    def _count_coverage(self, indicator: Indicator) -> tuple[int, int]:
        text = normalise(_indicator_text(indicator))
        generic = [False] * len(text)
        covered = [False] * len(text)
        for word in sorted(self.texts[indicator_key(indicator)]):
            is_generic = self.is_generic_word(word)
            start = text.find(word)
            while start >= 0:
                for position in range(start, start + len(word)):
                    covered[position] = True
                    generic[position] = generic[position] or is_generic
                start = text.find(word, start + 1)
        specific = sum(1 for c, g in zip(covered, generic, strict=True) if c and not g)
        return specific, sum(covered)

    def usage(self, indicator: Indicator, number: int) -> float:
        """Share of the projects of project ``number``'s disclosure that use the indicator's
        text (0 when only one does)."""
        same = self.uses[indicator_key(indicator), self.owner[number]]
        return same / len(self.projects[number][0].projects) if same > 1 else 0.0

    def best_fits(self, key: tuple[str, str]) -> list[tuple[float, int]]:
        """The two projects using the text ``key`` that it fits best, as (similarity,
        project number); computed once per text, so a text used everywhere costs linear."""
        if key not in self._best:
            scored = [(-self.similarity(self.words[key], self.contexts[n]), n)
                      for n in self.users[key]]  # fmt: skip
            self._best[key] = [(-score, n) for score, n in sorted(scored)[:2]]
        return self._best[key]

    def is_generic(self, indicator: Indicator, number: int) -> bool:
        """Mostly measurement vocabulary. The more of its disclosure's projects use the same
        text, the more content it needs to count as specific."""
        threshold = float(self.config.generic_share) + float(
            self.config.generic_share_spread
        ) * self.usage(indicator, number)
        return self.specific_share(indicator) < threshold
