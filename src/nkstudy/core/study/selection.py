"""What a session studies: the selection of questions, and the request that names it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nkstudy.core.model import Pack, Question
from nkstudy.core.study.progress import Key


@dataclass(frozen=True)
class Selection:
    """Which questions a session draws from (None = no filter)."""

    source_ids: frozenset[str] | None = None
    tags: frozenset[str] | None = None
    question_ids: frozenset[str] | None = None

    @classmethod
    def of(cls, source_ids: Iterable[str] | None = None, tags: Iterable[str] | None = None,
           question_ids: Iterable[str] | None = None) -> Selection:
        def opt(values: Iterable[str] | None) -> frozenset[str] | None:
            return frozenset(values) if values is not None else None

        return cls(opt(source_ids), opt(tags), opt(question_ids))

    @property
    def everything(self) -> bool:
        """True when nothing is filtered out."""
        return self.source_ids is None and self.tags is None and self.question_ids is None

    def selects(self, q: Question) -> bool:
        """Whether question ``q`` is selected."""
        if self.source_ids is not None and q.source not in self.source_ids:
            return False
        if self.tags is not None and not self.tags.intersection(q.tags):
            return False
        return self.question_ids is None or q.id in self.question_ids

    def pick(self, packs: Iterable[Pack]) -> dict[Key, tuple[Pack, Question]]:
        """The selected questions of ``packs``, in pack order."""
        out: dict[Key, tuple[Pack, Question]] = {}
        everything = self.everything
        for pack in packs:
            pack_id = pack.id
            for q in pack.questions:
                if everything or self.selects(q):
                    out[(pack_id, q.id)] = (pack, q)
        return out


@dataclass(frozen=True)
class StudyRequest:
    """What to study: the arguments of ``Engine.start_session`` as one value (the CLI and the app pass it)."""

    pack_ids: Sequence[str] | None = None  # None: every pack
    source_ids: Sequence[str] | None = None
    tags: Sequence[str] | None = None
    question_ids: Sequence[str] | None = None
    practice: bool = False
    limit: int | None = None


__all__ = ["Selection", "StudyRequest"]
