"""The classroom apps' screens."""

#: the icon at the left of every classroom screen's header: Textual's own (⭘) is in few fonts, and a
#: browser on `nkstudy serve` drew a missing-glyph box for it; '•' is in Roboto Mono, the font the
#: served page gives the terminal, and in the common monospace fonts
HEADER_ICON = "•"
