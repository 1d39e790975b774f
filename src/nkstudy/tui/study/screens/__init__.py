"""The study app's screens."""
