"""Classroom logic: seeded drill selection and item analysis."""
