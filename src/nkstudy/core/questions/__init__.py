"""The question types (one class each, in ``types.QUESTION_TYPES``), grading and answer folding."""
