"""A session's score: right, wrong, streaks, and the answers the learner overrode as right."""

from __future__ import annotations

from dataclasses import dataclass

Snapshot = tuple[int, int, int, int, int]


@dataclass
class ScoreKeeper:
    """Right, wrong and streaks for one session."""

    answered: int = 0
    right: int = 0
    streak: int = 0
    best_streak: int = 0
    overridden: int = 0

    def add(self, correct: bool, *, overridden: bool = False) -> None:
        self.answered += 1
        self.overridden += overridden
        if correct:
            self.right += 1
            self.streak += 1
            self.best_streak = max(self.best_streak, self.streak)
        else:
            self.streak = 0

    @property
    def wrong(self) -> int:
        return self.answered - self.right

    @property
    def accuracy(self) -> float | None:
        return self.right / self.answered if self.answered else None

    def snapshot(self) -> Snapshot:
        return (self.answered, self.right, self.streak, self.best_streak, self.overridden)

    def restore(self, snap: Snapshot) -> None:
        self.answered, self.right, self.streak, self.best_streak, self.overridden = snap


__all__ = ["ScoreKeeper", "Snapshot"]
