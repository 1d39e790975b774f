"""A drill report as HTML: the class's page, and one printable feedback sheet per student."""

from __future__ import annotations

from nkstudy.classroom.common import closed, h, page
from nkstudy.classroom.report import LOW_FACILITY, Report, index
from nkstudy.core.classroom.live import NOT_ASKED, SKIPPED
from nkstudy.core.figures import duration, percent


def render_html(report: Report) -> str:
    """One self-contained printable page."""
    a = report.analysis
    parts = [f"<h1>Drill report</h1>\n<p class=\"meta\">Drill code <code>{h(report.code)}</code> · "
             f"{len(a.students)} sitting{'s' if len(a.students) != 1 else ''} · {len(report.items)} questions"
             f" · upper and lower groups of {a.group_size}</p>"]
    if report.note:
        parts.append(f"<p class=\"meta\">{h(report.note)}</p>")
    parts.append(_skipped(report))
    rows = "".join(
        f"<tr><td>{h(st.profile)}</td><td class=\"num\">{st.score} / {st.total}</td>"
        f"<td class=\"num\">{percent(st.score / st.total if st.total else None)}</td>"
        f"<td class=\"num\">{st.answered}</td><td class=\"num\">{duration(st.seconds)}</td></tr>\n"
        for st in a.students
    )
    parts.append(_summary(report))
    parts.append("<h2>Students</h2>\n<table><thead><tr><th>profile</th><th class=\"num\">score</th>"
                 "<th class=\"num\">%</th><th class=\"num\">answered</th><th class=\"num\">time</th></tr></thead>"
                 f"<tbody>\n{rows}</tbody></table>")
    rows = ""
    for ri in report.items:
        s = ri.stats
        low = " class=\"low\"" if s.facility is not None and s.facility < LOW_FACILITY else ""
        neg = " neg" if s.discrimination is not None and s.discrimination < 0 else ""
        prompt = h(ri.prompt) if ri.prompt is not None else f"<code>{h(s.question_id)}</code>"
        options = "<br>".join(f"{'<strong>✓ ' if o in ri.right_options else ''}{h(o)}: {n}"
                              f"{'</strong>' if o in ri.right_options else ''}"
                              for o, n in (s.options or {}).items()) or "–"
        answer = f"<br><span class=\"cite\">answer: {h(ri.answer)}</span>" if ri.answer else ""
        rows += (f"<tr{low}><td class=\"num\">{s.position}</td><td>{prompt}{ri.media}{answer}</td>"
                 f"<td class=\"num\">{s.answered} / {s.students}</td><td class=\"num\">{s.right} / {s.students}</td>"
                 f"<td class=\"num\">{percent(s.facility)}</td>"
                 f"<td class=\"num{neg}\">{index(s.discrimination)}</td><td>{options}</td></tr>\n")
    parts.append("<h2>Questions</h2>\n<table><thead><tr><th class=\"num\">#</th><th>question</th>"
                 "<th class=\"num\">answered</th><th class=\"num\">right</th><th class=\"num\">facility</th>"
                 "<th class=\"num\">discrimination</th><th>options picked</th></tr></thead>"
                 f"<tbody>\n{rows}</tbody></table>")
    parts.append(_grid(report))
    if report.disagreements:
        rows = "".join(f"<tr><td>{h(r.profile)}</td><td class=\"num\">{r.position}</td><td>{h(r.answer)}</td>"
                       f"<td>{'right' if r.was else 'wrong'}</td><td>{'right' if r.now else 'wrong'}</td></tr>\n"
                       for r in report.disagreements)
        parts.append("<h2>Marks that disagree</h2>\n<p class=\"meta\">The stored marks below are not what "
                     "these answers earn; the report uses the marks from the answers.</p>\n<table><thead><tr>"
                     "<th>profile</th><th class=\"num\">#</th><th>answer</th><th>stored</th><th>from the answer"
                     f"</th></tr></thead><tbody>\n{rows}</tbody></table>")
    missed = report.most_missed()
    if missed:
        items = ""
        for ri in missed:
            s = ri.stats
            prompt = h(ri.prompt) if ri.prompt is not None else f"<code>{h(s.question_id)}</code>"
            items += f"<li class=\"q\"><p>{prompt} — missed by {s.missed} of {s.students}</p>{ri.media}"
            if ri.answer:
                items += f"<p>Answer: <strong>{h(ri.answer)}</strong></p>"
            if ri.excerpt:
                items += f"<blockquote>{h(closed(ri.excerpt))}</blockquote><p class=\"cite\">{h(ri.citation or '')}</p>"
            items += "</li>\n"
        parts.append(f"<h2>Most missed</h2>\n<ol>\n{items}</ol>")
    parts.append("<p class=\"meta\">Facility: the share of sittings that got a question right. "
                 "Discrimination: right answers in the top 27% of sittings by score minus those in the "
                 "bottom 27%, divided by the group size (from −1 to +1; near 0 or below, the question does "
                 "not tell stronger students from weaker ones).</p>")
    return page(f"Drill report {report.code}", "\n".join(parts), REPORT_CSS)


REPORT_CSS = """
.bar { display: inline-block; height: .8em; background: #4a7bb7; vertical-align: middle; }
.grid td { font-size: .85em; } .ok { color: #064; } .no { color: #a00; }
.sheet { break-before: page; page-break-before: always; } .sheet:first-of-type { break-before: auto; }
"""


def _skipped(report: Report) -> str:
    """The questions of a live drill the teacher skipped, or never asked ("" when none)."""
    return "".join(f"<p class=\"meta\">{label}, so not marked, for nobody: "
                   + "; ".join(h(k.label) for k in left_out) + "</p>"
                   for label, left_out in ((SKIPPED, report.skipped), (NOT_ASKED, report.not_asked)) if left_out)


def _figure(value: float | None, places: int = 2) -> str:
    return "–" if value is None else f"{value:.{places}f}"


def _summary(report: Report) -> str:
    """The class summary: the score distribution, its histogram, KR-20 and the time per question."""
    sm = report.summary
    if sm is None or not sm.sittings:
        return ""
    facts = [("sittings", str(sm.sittings)), ("mean", _figure(sm.mean)), ("median", _figure(sm.median, 1)),
             ("standard deviation", _figure(sm.sd)), ("lowest", str(sm.low)), ("highest", str(sm.high)),
             ("KR-20 reliability", _figure(sm.kr20)),
             ("mean time per question", "–" if sm.seconds_per_question is None
              else duration(sm.seconds_per_question))]
    top = max(sm.histogram) or 1
    bars = "".join(f"<tr><td class=\"num\">{score}</td><td><span class=\"bar\" style=\"width: {12 * n / top:.2f}em\">"
                   f"</span> {n}</td></tr>" for score, n in enumerate(sm.histogram))
    never = (f"<p class=\"meta\">On the roster but never sat: {h(', '.join(report.never_sat))}</p>"
             if report.never_sat else "")
    return ("<h2>Class summary</h2>\n<table><tbody>" + "".join(f"<tr><th>{k}</th><td class=\"num\">{v}</td></tr>"
                                                              for k, v in facts)
            + f"</tbody></table>\n<table><thead><tr><th class=\"num\">score</th><th>sittings</th></tr></thead>"
              f"<tbody>{bars}</tbody></table>{never}")


def _grid(report: Report) -> str:
    """Student × question: right or wrong, what they answered, and how long they took."""
    head = "".join(f"<th>{ri.stats.position}</th>" for ri in report.items)
    rows = ""
    for st in report.analysis.students:
        answers = report.answers(st.attempt)
        cells = ""
        for ri in report.items:
            r = answers.get(ri.stats.key)
            if r is None:
                cells += "<td>not reached</td>"
                continue
            mark = "<span class=\"ok\">✓</span>" if r.correct else "<span class=\"no\">✗</span>"
            said = "<em>away</em>" if r.absent else h(r.answer) if r.answered else "<em>no answer</em>"
            took = "" if r.seconds is None else f" <span class=\"cite\">{r.seconds:.0f}s</span>"
            cells += f"<td>{mark} {said}{took}</td>"
        rows += f"<tr><td>{h(st.profile)}</td>{cells}</tr>\n"
    return (f"<h2>Responses</h2>\n<table class=\"grid\"><thead><tr><th>profile</th>{head}</tr></thead>"
            f"<tbody>\n{rows}</tbody></table>")


def render_sheets(report: Report) -> str:
    """One printable page per sitting: each question, the student's answer, the right answer and its source."""
    pages = []
    for st in report.analysis.students:
        answers = report.answers(st.attempt)
        items = ""
        for ri in report.items:
            r = answers.get(ri.stats.key)
            prompt = h(ri.prompt) if ri.prompt is not None else f"<code>{h(ri.stats.question_id)}</code>"
            if r is None:
                said, mark = "<em>not reached</em>", "<span class=\"no\">✗</span>"
            else:
                said = ("<em>none: you were away when it was asked</em>" if r.absent
                        else h(r.answer) if r.answered and r.answer else "<em>no answer</em>")
                mark = "<span class=\"ok\">✓ right</span>" if r.correct else "<span class=\"no\">✗ wrong</span>"
            items += (f"<li value=\"{ri.stats.position}\" class=\"q\"><p>{prompt}</p><p>Your answer: {said} — "
                      f"{mark}</p>")
            if ri.answer and not (r is not None and r.correct):
                items += f"<p>Right answer: <strong>{h(ri.answer)}</strong></p>"
            if ri.excerpt:
                items += f"<blockquote>{h(closed(ri.excerpt))}</blockquote><p class=\"cite\">{h(ri.citation or '')}</p>"
            items += "</li>\n"
        pages.append(f"<section class=\"sheet\"><h1>{h(st.profile)}</h1><p class=\"meta\">Drill "
                     f"<code>{h(report.code)}</code> · score {st.score} of {st.total} "
                     f"({percent(st.score / st.total if st.total else None)}) · time {duration(st.seconds)}</p>"
                     f"{_skipped(report)}<ol>\n{items}</ol></section>")
    return page(f"Feedback sheets {report.code}", "\n".join(pages), REPORT_CSS)


__all__ = ["render_html", "render_sheets"]
