"""The question types (one class each, in ``types.QUESTION_TYPES``), grading, answer folding,
and the lookup every per-type table uses (:func:`~nkstudy.core.questions.tables.for_type`)."""

from nkstudy.core.questions.tables import Unsupported, for_type, lookup, unhandled

__all__ = ["Unsupported", "for_type", "lookup", "unhandled"]
