"""The insights page (build/insights/index.html) and its Markdown twin (index.md), with the chart of
conversations and messages per day as SVG (inline in the page, a file beside the Markdown).

Every count goes through `shown`/`share` (bot/tools/insights.py): 1 to 4 is "fewer than 5", in the
tables and in the chart, whose bars for such days are drawn hatched at the height of 5.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from pathlib import Path
from typing import List, Sequence, Tuple

from bot.tools.insights import SMALL, Insights, share, shown

CHART = "per-day.svg"

Table = Tuple[str, Sequence[str], Sequence[Sequence[str]]]  # caption, headings, rows


def chart_svg(insights: Insights) -> str:
    """Conversations and messages per day: bars, with days of fewer than 5 hatched at 5."""
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.hashsalt"] = "cj-insights"  # the same data gives the same file
    matplotlib.rcParams["svg.fonttype"] = "none"
    import matplotlib.pyplot as plt

    # Every day from the first to the last with a conversation, so quiet days show as gaps.
    first, last = (min(insights.per_day), max(insights.per_day)) if insights.per_day else (None, None)
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)] if first and last else []
    figure, axes = plt.subplots(figsize=(8, 3.2), dpi=100)
    if not days:
        axes.text(0.5, 0.5, "No conversations in this period", ha="center", va="center")
        axes.set_axis_off()
    else:
        positions = range(len(days))
        for offset, (index, label, colour) in (
            (-0.2, (0, "conversations", "#14325c")),
            (0.2, (1, "messages", "#6c8ebf")),
        ):
            values = [insights.per_day.get(d, (0, 0))[index] for d in days]
            heights = [SMALL if 0 < v < SMALL else v for v in values]
            bars = axes.bar([p + offset for p in positions], heights, width=0.4, label=label, color=colour)
            for bar, value in zip(bars, values):
                if 0 < value < SMALL:
                    bar.set_hatch("//")
                    bar.set_facecolor("white")
                    bar.set_edgecolor(colour)
        axes.set_xticks(list(positions))
        axes.set_xticklabels(
            [d.strftime("%d %b") for d in days],
            rotation=45 if len(days) > 7 else 0,
            ha="right" if len(days) > 7 else "center",
        )
        axes.set_ylabel("per day")
        axes.legend(frameon=False, title="hatched: fewer than 5", title_fontsize="small", fontsize="small")
        axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(figure)
    svg = out.getvalue()
    return svg[svg.index("<svg") :]  # without the XML prologue, so it can be inline


def tables(i: Insights) -> List[Table]:
    days = [(d.strftime("%a %d %b %Y"), shown(c), shown(m)) for d, (c, m) in i.per_day.items()]
    groups = [(g.text, shown(g.count), "; ".join(g.examples) or "-") for g in i.not_understood[:20]]
    answers = [
        (
            a.entry_id,
            a.name,
            a.kind,
            shown(a.given),
            shown(a.helpful),
            shown(a.not_helpful),
            shown(a.reported),
        )
        for a in i.answers[:20]
    ]
    reported = [(a.entry_id, a.name, shown(a.reported), shown(a.given)) for a in i.reported]
    crisis = [(kind.replace("_", " "), shown(n)) for kind, n in i.crisis.items()]
    contacts = [(name, shown(n)) for name, n in i.crisis_contacts.items()]
    due = [(d["id"], d["kind"], d["name"], d["reviewed"]) for d in i.due_for_review]
    return [
        ("Conversations and messages per day", ("Day", "Conversations", "Messages"), days),
        (
            "Messages not understood, grouped by similarity",
            ("Message (redacted)", "How often", "Said also as"),
            groups,
        ),
        (
            "Answers given most, and what people thought of them",
            ("Content entry", "Name", "Kind", "Given", "Helpful", "Not helpful", "Reported"),
            answers,
        ),
        ("Answers reported as wrong or out of date", ("Content entry", "Name", "Reports", "Given"), reported),
        ("Crisis replies shown, by kind", ("Kind of crisis", "Replies"), crisis),
        ("Crisis numbers given", ("Contact", "Times"), contacts),
        (
            "Content entries due for review (reviewed over a year ago)",
            ("Content entry", "Kind", "Name", "Reviewed"),
            due,
        ),
    ]


def empty_text(caption: str) -> str:
    if caption.startswith("Content entries due"):
        return "None: every entry was reviewed within the last year."
    return "None in this period."


def headline(i: Insights) -> List[str]:
    return [
        f"Period: {i.since:%d %B %Y} to {i.until:%d %B %Y}.",
        f"Conversations: {shown(i.conversations)}; messages from visitors: {shown(i.messages)}; "
        f"chats opened without a message: {shown(i.opened_only)}.",
        f"Conversations that ended not understood: {share(i.ended_not_understood, i.conversations)}. "
        f"Messages not understood: {share(i.turns_not_understood, i.messages)}.",
        f"Answers reported as wrong or out of date: {shown(sum(a.reported for a in i.answers))}.",
    ]


NOTES = (
    'Counts from 1 to 4 are shown as "fewer than 5", and no conversation is named, so nothing here '
    "identifies a person. Messages are shown as stored, with personal details replaced by labels such as "
    '[phone number]. "Not understood" means the classifier was unsure (nlu_fallback) or the assistant '
    'replied "did you mean". How to act on this page: docs/staff.md.'
)

STYLE = " ".join(
    [
        'body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1b1b1b;',
        "margin:0 auto;max-width:62rem;padding:1rem 1.25rem;line-height:1.5}",
        "h1{color:#14325c} table{border-collapse:collapse;margin:0 0 1.5rem;width:100%}",
        "caption{text-align:left;font-weight:700;font-size:1.15rem;padding:.5rem 0}",
        "th,td{border:1px solid #8a8a8a;padding:.3rem .5rem;text-align:left;vertical-align:top}",
        "th{background:#eef1f5} figure{margin:0 0 1.5rem} svg{max-width:100%;height:auto}",
        'svg text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif!important}',
        ".note{color:#474747}",
    ]
)


def to_html(i: Insights, svg: str) -> str:
    parts = [
        "<!doctype html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Community Justice Assistant: insights</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        "<h1>What people asked the Community Justice Assistant</h1>",
    ]
    parts += [f"<p>{html.escape(line)}</p>" for line in headline(i)]
    parts.append(f'<p class="note">{html.escape(NOTES)}</p>')
    label = "Conversations and messages per day (the same figures as the first table)"
    parts.append(f'<figure role="img" aria-label="{label}">')
    parts.append(svg)
    parts.append(
        "<figcaption>Conversations and messages per day. Hatched bars: fewer than 5.</figcaption></figure>"
    )
    for caption, headings, rows in tables(i):
        parts.append(f"<table><caption>{html.escape(caption)}</caption><thead><tr>")
        parts += [f'<th scope="col">{html.escape(h)}</th>' for h in headings]
        parts.append("</tr></thead><tbody>")
        if not rows:
            parts.append(f'<tr><td colspan="{len(headings)}">{html.escape(empty_text(caption))}</td></tr>')
        for row in rows:
            parts.append("<tr>" + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in row) + "</tr>")
        parts.append("</tbody></table>")
    parts.append(
        f'<p class="note">Written {dt.datetime.now():%d %B %Y %H:%M} by <code>make insights</code>.</p>'
    )
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _cell(value: str) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def to_markdown(i: Insights) -> str:
    lines = ["# What people asked the Community Justice Assistant", ""]
    lines += [
        *headline(i),
        "",
        f"_{NOTES}_",
        "",
        f"![Conversations and messages per day; hatched: fewer than 5]({CHART})",
        "",
    ]
    for caption, headings, rows in tables(i):
        lines += [f"## {caption}", ""]
        if not rows:
            lines += [empty_text(caption), ""]
            continue
        lines.append("| " + " | ".join(headings) + " |")
        lines.append("|" + "---|" * len(headings))
        lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
        lines.append("")
    return "\n".join(lines)


def write_report(i: Insights, out_dir: Path) -> Tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    svg = chart_svg(i)
    (out_dir / CHART).write_text(svg, encoding="utf-8")
    page, markdown = out_dir / "index.html", out_dir / "index.md"
    page.write_text(to_html(i, svg), encoding="utf-8")
    markdown.write_text(to_markdown(i), encoding="utf-8")
    return page, markdown
