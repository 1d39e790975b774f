"""nkstudy: study North Korea–China visits (and your own packs) in the terminal."""

__version__ = "0.1.0"
