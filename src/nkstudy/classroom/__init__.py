"""Printable and readable output for teachers: drill reports and worksheets.

Pure like core: no Textual, no Rich, no SQLite.  Every renderer takes the
model (:class:`~nkstudy.classroom.report.Report`, or a drill's items) and
returns text; the CLI decides where it goes.  Pack text and profile names are
untrusted: HTML is escaped, Markdown is escaped, and control characters are
shown visibly (``nkstudy.core.text.visible``) on every path; JSON keeps the
text exact but writes C1 and bidi controls as ``\\uXXXX`` escapes.
"""
