"""Studying: sessions, planning and pacing, scheduling with fsrs, progress rows, statistics and results."""
