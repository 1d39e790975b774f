"""The study app: its screens, messages and commands."""
