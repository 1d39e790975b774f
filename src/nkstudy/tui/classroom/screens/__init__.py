"""The classroom apps' screens."""
