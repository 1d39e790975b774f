"""Reusable widgets: answer inputs, the rating bar, charts and the article view."""
