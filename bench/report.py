"""Write bench/results.json, bench/results.md and bench/latency_vs_load.png."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Optional

TARGETS = {
    "turn_p95_ms": 100,
    "capacity_rate": 40,
    "capacity_p95_ms": 200,
    "ready_s": 30,
    "training_s": 300,
    "rasa_rss_mb": 1536,
    "accuracy": 0.95,
    "bench_runtime_s": 900,
    "ready_ratio_to_stock": 0.5,
    "rasa_cpu_ms_per_message": 15,
}


def _get(d: Dict, *path, default=None):
    for key in path:
        if not isinstance(d, dict) or key not in d:
            return default
        d = d[key]
    return d


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        value = f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    return f"{value}{unit}"


def _met(ok: Optional[bool]) -> str:
    return "n/a" if ok is None else ("yes" if ok else "**no**")


def rows(r: Dict) -> List[List[str]]:
    q, lat, cap, start, mem = (
        r.get("quality", {}),
        r.get("latency", {}),
        r.get("capacity", {}),
        r.get("startup", {}),
        r.get("memory", {}),
    )
    ours, default, tfidf = q.get("ours", {}), q.get("rasa_default", {}), q.get("tfidf_1nn", {})
    acc, f1 = ours.get("intent_accuracy"), ours.get("macro_f1")
    out: List[List[str]] = []

    def row(measure, value, target, ok):
        out.append([measure, value, target, _met(ok)])

    def lt(v, t):
        return None if v is None else v < t

    row(
        "Held-out intent accuracy (ours)",
        _fmt(acc),
        ">= 0.95",
        None if acc is None else acc >= TARGETS["accuracy"],
    )
    row(
        "Held-out macro F1 (ours)",
        _fmt(f1),
        "above both references",
        None
        if f1 is None or not default or not tfidf
        else f1 > default.get("macro_f1", 1) and f1 > tfidf.get("macro_f1", 1),
    )
    for name, ref in (("Rasa default pipeline", default), ("TF-IDF 1-NN", tfidf)):
        if ref:
            ra = acc / ref["intent_accuracy"] if acc and ref.get("intent_accuracy") else None
            rf = f1 / ref["macro_f1"] if f1 and ref.get("macro_f1") else None
            row(
                f"{name}: accuracy / macro F1",
                f"{_fmt(ref.get('intent_accuracy'))} / {_fmt(ref.get('macro_f1'))}",
                "below ours",
                None if ra is None else ref["intent_accuracy"] < acc,
            )
            row(
                f"Ours / {name} (accuracy, macro F1 ratio)",
                f"{_fmt(ra)}, {_fmt(rf)}",
                "> 1",
                None if ra is None else ra > 1 and rf > 1,
            )
    for channel in ("rest", "socketio"):
        label = "REST" if channel == "rest" else "Socket.IO"
        conversation, single = _get(lat, channel, "conversation") or {}, _get(lat, channel, "single") or {}
        p = conversation.get("turn_latency_ms")
        if p:
            row(
                f"{label}: one support conversation, per-turn p50 / p95 / p99",
                _percentiles(p, conversation),
                "p95 < 100 ms",
                lt(p.get("p95", float("inf")), TARGETS["turn_p95_ms"]),
            )
        t = conversation.get("conversation_total_ms")
        if t:
            row(
                f"{label}: whole 4-turn conversation p50 / p95 / p99", _percentiles(t, conversation), "", None
            )
        s = single.get("latency_ms")
        if s:
            row(
                f"{label}: single message (new conversation) p50 / p95 / p99",
                _percentiles(s, single),
                "p95 < 100 ms",
                lt(s.get("p95", float("inf")), TARGETS["turn_p95_ms"]),
            )
    held = cap.get("highest_rate_held")
    row(
        "Capacity: highest offered rate with p95 < 200 ms and no errors (REST, open loop)",
        f"{held} msg/s" if held is not None else "none of the steps",
        ">= 40 msg/s",
        None if not cap.get("steps") else (held or 0) >= TARGETS["capacity_rate"],
    )
    if cap.get("rasa_cpu_ms_per_message"):
        row(
            "Rasa server CPU per message (median over load steps); one-core ceiling",
            f"{cap['rasa_cpu_ms_per_message']} ms; {cap.get('single_process_ceiling_msg_per_s')} msg/s",
            "ceiling >= 40 msg/s",
            (cap.get("single_process_ceiling_msg_per_s") or 0) >= TARGETS["capacity_rate"],
        )
    if cap.get("breaks_at") is not None:
        row(
            "Capacity: first rate that breaks",
            f"{cap['breaks_at']} msg/s ({cap.get('breaks_because')})",
            "",
            None,
        )
    scaled = r.get("capacity_scale_out", {})
    if scaled.get("steps"):
        held_scaled = scaled.get("highest_rate_held")
        row(
            "Capacity, scale-out on the same 2 cores (2 Rasa servers behind nginx, PostgreSQL, Redis): highest rate held",
            f"{held_scaled} msg/s" if held_scaled is not None else "none of the steps",
            ">= 40 msg/s",
            (held_scaled or 0) >= TARGETS["capacity_rate"],
        )
        if scaled.get("breaks_at") is not None:
            row(
                "Capacity, scale-out: first rate that breaks",
                f"{scaled['breaks_at']} msg/s ({scaled.get('breaks_because')})",
                "",
                None,
            )
    at_40 = rate_step(cap, TARGETS["capacity_rate"])
    if at_40:
        p95_40 = _get(at_40, "latency_ms", "p95")
        shown = at_40.get("skipped") or f"{p95_40} ms ({at_40['errors']} errors)"
        row("One Rasa process at 40 msg/s: p95", shown, "p95 < 200 ms, no errors", bool(at_40.get("held")))
    out.extend(comparison_rows(r.get("startup_comparison") or {}))
    row(
        "Server ready (both servers answer)",
        _fmt(start.get("ready_s"), " s"),
        "< 30 s",
        lt(start.get("ready_s"), TARGETS["ready_s"]),
    )
    tr = start.get("training_s")
    row(
        f"Training time, full `rasa train` ({start.get('training_source', 'training step not run')})",
        _fmt(tr, " s"),
        "< 300 s",
        lt(tr, TARGETS["training_s"]),
    )
    for when in ("idle", "peak_under_load"):
        v = _get(mem, "rasa", when)
        row(
            f"Rasa server RSS, {when.replace('_', ' ')}",
            _fmt(v, " MB"),
            "< 1.5 GB",
            lt(v, TARGETS["rasa_rss_mb"]),
        )
    for when in ("idle", "peak_under_load"):
        v = _get(mem, "actions", when)
        row(f"Action server RSS, {when.replace('_', ' ')}", _fmt(v, " MB"), "", None)
    row("Model file size (models/assistant.tar.gz)", _fmt(r.get("model", {}).get("size_mb"), " MB"), "", None)
    parts = r.get("parts", {})
    nlu = _get(parts, "nlu_parse_ms")
    if nlu:
        row("NLU parse alone (in-process) p50 / p95", f"{nlu['p50']} / {nlu['p95']} ms", "", None)
    act = _get(parts, "action_server", "round_trip_ms")
    if act:
        row(
            "Action server round trip (action_answer_topic) p50 / p95",
            f"{act['p50']} / {act['p95']} ms",
            "",
            None,
        )
    check = _get(parts, "action_server", "reply_validation_ms")
    if check:
        row(
            "Rasa's check of each action reply, as the server runs it (validator built once) p50 / p95",
            f"{check['p50']} / {check['p95']} ms",
            "",
            None,
        )
    stock = _get(parts, "action_server", "reply_validation_stock_rasa_ms")
    if stock:
        row(
            "The same check in stock Rasa 3.6 (jsonschema.validate rebuilds the validator) p50 / p95",
            f"{stock['p50']} / {stock['p95']} ms",
            "",
            None,
        )
    for item in _get(parts, "breakdown", "parts", default=[]) or []:
        row(f"Share of a reply: {item['part']}", f"{item['mean_ms']} ms ({item['share_pct']}%)", "", None)
    rt = r.get("bench_runtime_s")
    if start.get("default_nlu_reused"):
        # Without training the reference this is not what a fresh clone takes: not judged here.
        row(
            "Benchmark script runtime (`make bench` after `make train`; reference model reused)",
            _fmt(rt, " s"),
            "< 15 min with a fresh clone",
            None,
        )
    else:
        row(
            "Benchmark script runtime (`make bench` after `make train`)",
            _fmt(rt, " s"),
            "< 15 min with a fresh clone",
            lt(rt, TARGETS["bench_runtime_s"]),
        )
    return out


def _percentiles(p: Dict, measured: Dict) -> str:
    """p50 / p95 / p99, or why there are none (every request failed)."""
    if p.get("n"):
        return f"{p['p50']} / {p['p95']} / {p['p99']} ms"
    why = measured.get("first_error")
    return f"no answer ({measured.get('errors')} errors" + (f"; first: {why})" if why else ")")


def markdown(r: Dict) -> str:
    m = r.get("machine", {})
    lines = [
        "# Benchmark results",
        "",
        f"Run {r.get('started_at')} on {m.get('cores')} cores ({m.get('cpu_model')}), {m.get('memory_total_mb')} MB RAM. "
        f"Load average (1, 5, 15 min) at start {m.get('load_average_at_start')}, before the load steps "
        f"{m.get('load_average_before_load')}, at the end {m.get('load_average_at_end')}.",
        "",
        "The load generator, the Rasa server and the action server share these cores (and other work on the "
        "machine may too: see the load average), so latency and capacity here are a lower bound of what a "
        "dedicated server would do.",
        "",
        "| measure | value | target | met? |",
        "|---|---|---|---|",
    ]
    steps = r.get("steps") or []
    if any(s.get("status") != "ok" for s in steps):
        lines[2:2] = (
            ["**Not every step ran.** Each figure below comes from a step that completed; the others:", ""]
            + [
                f"- {s['step']}: {s['status']} after {s.get('seconds')} s: {s.get('reason')}"
                for s in steps
                if s.get("status") != "ok"
            ]
            + [""]
        )
    lines += [f"| {' | '.join(cells)} |" for cells in rows(r)]
    lines += comparison_section(r.get("startup_comparison") or {})
    cap = r.get("capacity", {})
    if cap.get("steps"):
        lines += ["", "## Open-loop load (REST), one Rasa server", "", cap.get("method", ""), ""]
        lines += step_table(cap["steps"])
        lines += ["", "![latency against load](latency_vs_load.png)"]
    scaled = r.get("capacity_scale_out", {})
    if scaled.get("steps"):
        lines += [
            "",
            "## Open-loop load (REST), scale-out topology on the same machine",
            "",
            f"{scaled.get('topology')}; ready in {scaled.get('ready_s')} s. Same load as above, sent to nginx. "
            "CPU columns: each Rasa server's share of one core.",
            "",
        ]
        lines += step_table(scaled["steps"])
    bd = _get(r, "parts", "breakdown")
    if bd:
        lines += [
            "",
            "## Where the time of one reply goes",
            "",
            bd.get("method", ""),
            "",
            "| part | mean ms | share |",
            "|---|---|---|",
        ]
        lines += [f"| {p['part']} | {p['mean_ms']} | {p['share_pct']}% |" for p in bd["parts"]]
    q = r.get("quality", {})
    if q:
        lines += [
            "",
            "## Answer quality (held-out tests/nlu/test_nlu.yml)",
            "",
            f"{q.get('test_examples')} test examples, {q.get('training_examples')} training examples. "
            "Intents scored like `rasa test nlu` (a FallbackClassifier prediction is undone).",
            "",
            "| model | intent accuracy | macro F1 | errors | parse ms p50 | intents with F1 < 0.9 |",
            "|---|---|---|---|---|---|",
        ]
        for name in ("ours", "rasa_default", "tfidf_1nn"):
            v = q.get(name)
            if not v:
                continue
            parse = _get(v, "parse_ms", "p50", default=v.get("parse_ms_per_message"))
            weak = ", ".join(f"{n} {f}" for n, f in v.get("weak_intents_f1_below_0.9", []))
            lines.append(
                f"| {name} | {v['intent_accuracy']} | {v['macro_f1']} | {v['errors']} | {parse} | {weak} |"
            )
    notes = r.get("notes", [])
    if notes:
        lines += ["", "## Notes", ""] + [f"- {n}" for n in notes]
    return "\n".join(lines) + "\n"


def rate_step(capacity: Dict, rate: float) -> Optional[Dict]:
    return next((s for s in capacity.get("steps") or [] if s.get("offered_rate") == rate), None)


def comparison_rows(c: Dict) -> List[List[str]]:
    """The same-run targets against the stock `rasa init` bot, for the main table."""
    ours, stock, ratio = c.get("ours") or {}, c.get("stock") or {}, c.get("ratios") or {}
    if not ours or not stock:
        return []
    met = c.get("targets_met") or {}
    return [
        [
            "Ready, ours / stock `rasa init` bot (same run)",
            f"{_fmt(ours.get('ready_s'), ' s')} / {_fmt(stock.get('ready_s'), ' s')} = {ratio.get('ready_s')}",
            "<= 0.5",
            _met(met.get("ready_at_most_half_of_stock")),
        ],
        [
            "Rasa server CPU per single-turn message, ours (stock bot, same run)",
            f"{_fmt(ours.get('cpu_ms_per_message'), ' ms')} ({_fmt(stock.get('cpu_ms_per_message'), ' ms')})",
            "<= 15 ms",
            _met(met.get("rasa_cpu_at_most_15_ms_per_message")),
        ],
    ]


COMPARED = (
    ("Time to ready (process start until the REST webhook answers)", "ready_s", "s"),
    ("Rasa server CPU per message", "cpu_ms_per_message", "ms"),
    ("Rasa server RSS after the messages", "rss_mb", "MB"),
    ("Model size on disk (.tar.gz)", "model_mb", "MB"),
    ("Training time (`rasa train`)", "training_s", "s"),
)


def comparison_section(c: Dict) -> List[str]:
    """Markdown for bench/startup_comparison.py's results: the table, ratios, and how it was measured."""
    ours, stock, ratio = c.get("ours") or {}, c.get("stock") or {}, c.get("ratios") or {}
    if not ours or not stock:
        return []
    lines = [
        "",
        "## Ours vs the stock rasa init bot (same run)",
        "",
        c.get("method", ""),
        "",
        "What these figures say, what TED's removal changed and what would remove the rest: "
        "[startup_notes.md](startup_notes.md) (by hand, from one run; the tables here are this run's).",
        "",
        "| measure | ours | stock `rasa init` | ours / stock |",
        "|---|---|---|---|",
    ]
    for label, key, unit in COMPARED:
        ratio_cell = "n/a" if ratio.get(key) is None else f"{ratio[key]:.2f}"
        cells = [f"{label} ({unit})", _cell(ours.get(key)), _cell(stock.get(key)), ratio_cell]
        lines.append(f"| {' | '.join(cells)} |")
    lat_o, lat_s = ours.get("latency_ms") or {}, stock.get("latency_ms") or {}
    for key in ("p50", "p95"):
        latency = (_cell(lat_o.get(key)), _cell(lat_s.get(key)))
        lines.append(f"| Single-turn REST latency {key} (ms) | {latency[0]} | {latency[1]} | |")
    rounds = len(c.get("rounds") or [])
    lines += ["", f"Rounds: {rounds} (figures are medians over rounds; the order alternates).", ""]
    for i, one in enumerate(c.get("rounds") or []):
        lines.append(f"- Round {i + 1} ({' then '.join(one['order'])}): {round_summary(one)}")
    beside = ", ".join(f"{k} {v} MB" for k, v in (ours.get("loaded_beside_model_mb") or {}).items())
    lines += [
        "",
        f"- Training, ours: {ours.get('training_source')}. Stock: {stock.get('training_source')}.",
        f"- Loaded by ours at start beside the .tar.gz: {beside or 'nothing'}.",
        "- Action server RSS (ours only; the stock bot needs none): "
        f"{_fmt(ours.get('action_server_rss_mb'), ' MB')}.",
    ]
    for name in ("ours", "stock"):
        cfg = (c.get("configs") or {}).get(name) or {}
        lines.append(
            f"- Config, {name}: pipeline {', '.join(cfg.get('pipeline', []))}; "
            f"policies {', '.join(cfg.get('policies', []))}."
        )
    return lines + start_up_section(c) + cpu_parts_section(c)


BOTS = ("ours", "stock")


def _cell(value: Optional[float]) -> str:
    return "-" if value is None else f"{value:.1f}"


def side_by_side(split: Dict[str, Dict[str, float]], smallest: float, unit: str) -> List[str]:
    """Table rows of each part's figure for ours and the stock bot, largest first; parts under
    `smallest` for both are added up in one row."""
    largest = lambda part: -max(split[name].get(part, 0) for name in BOTS)  # noqa: E731
    lines, small = [], dict.fromkeys(BOTS, 0.0)
    for part in sorted(set(split["ours"]) | set(split["stock"]), key=largest):
        values = [split[name].get(part) for name in BOTS]
        if max(v or 0 for v in values) >= smallest:
            lines.append(f"| {part} | {_cell(values[0])} | {_cell(values[1])} |")
            continue
        for name, value in zip(BOTS, values):
            small[name] += value or 0
    other = f"other parts (each under {smallest} {unit})"
    lines.append(f"| {other} | {_cell(small['ours'])} | {_cell(small['stock'])} |")
    return lines


def cpu_parts_section(c: Dict) -> List[str]:
    """bench/profile_turn.py's split of each bot's CPU per message, side by side."""
    rows = {name: _get(c, "in_process", name, "parts", default=[]) or [] for name in BOTS}
    split = {name: {row["part"]: row["cpu_ms_per_message"] for row in rows[name]} for name in BOTS}
    if not any(split.values()):
        return []
    lines = [
        "",
        "### Where the Rasa server's CPU per message goes (in-process, same messages)",
        "",
        "bench/profile_turn.py: the same messages through agent.handle_text (no HTTP channel); process "
        "CPU time per part of a turn, ms per message. Graph components are named by class and method; "
        "a dash: that bot has no such part.",
        "",
        "| part | ours | stock `rasa init` |",
        "|---|---|---|",
    ]
    lines += side_by_side(split, 0.2, "ms")
    totals = [_get(c, "in_process", name, "cpu_ms_per_message") for name in BOTS]
    lines.append(f"| **in-process total** | {_cell(totals[0])} | {_cell(totals[1])} |")
    first_round = (c.get("rounds") or [{}])[0]  # the split is measured in the first round
    live = [_get(first_round, name, "cpu_ms_per_message") for name in BOTS]
    label = "live server, same round (HTTP channel and Sanic included)"
    lines.append(f"| {label} | {_cell(live[0])} | {_cell(live[1])} |")
    lines += [
        "",
        "The live server minus the in-process total is what the HTTP channel and Sanic add; on a "
        "busy machine the two measurements differ by a few ms either way, so read that difference as "
        "small, not exact.",
    ]
    return lines


def start_up_section(c: Dict) -> List[str]:
    """bench/profile_turn.py's split of each bot's start-up (import, each component's loading)."""
    loads = {name: _get(c, "in_process", name, "start_up") or {} for name in BOTS}
    if not any(loads.values()):
        return []
    split = {
        name: {f"load {row['component']}": row["load_s"] for row in loads[name].get("components", [])}
        for name in BOTS
    }
    for name in BOTS:
        rest = (loads[name].get("model_load_s") or 0) - sum(split[name].values())
        split[name]["rest of Agent.load (unpacking the model, building the graph)"] = round(max(rest, 0), 2)
        split[name]["import Rasa's server modules (TensorFlow included)"] = loads[name].get("import_rasa_s")
    lines = [
        "",
        "### Where the start-up goes (in-process, wall seconds)",
        "",
        "bench/profile_turn.py: importing Rasa, then Agent.load of the model, each graph component's "
        "loading timed. The live server adds the Sanic app, channels and (ours) the action server, "
        "started alongside.",
        "",
        "| part | ours | stock `rasa init` |",
        "|---|---|---|",
    ]
    lines += side_by_side(split, 0.3, "s")
    ready = [_get(c, name, "ready_s") for name in BOTS]
    live = "**live: process start until the webhook answered**"
    lines.append(f"| {live} | {_cell(ready[0])} | {_cell(ready[1])} |")
    return lines


def round_summary(r: Dict) -> str:
    o, s, q = r.get("ours") or {}, r.get("stock") or {}, r.get("ratios") or {}
    return (
        f"ready {o.get('ready_s')} / {s.get('ready_s')} s (ratio {q.get('ready_s')}), CPU "
        f"{o.get('cpu_ms_per_message')} / {s.get('cpu_ms_per_message')} ms per message (ratio "
        f"{q.get('cpu_ms_per_message')}), RSS {o.get('rss_mb')} / {s.get('rss_mb')} MB, errors "
        f"{o.get('errors')} / {s.get('errors')}, load average before {o.get('load_average_before')} / "
        f"{s.get('load_average_before')}"
    )


def step_table(steps: List[Dict]) -> List[str]:
    lines = [
        "| offered msg/s | sent | ok | errors | achieved msg/s | p50 ms | p95 ms | p99 ms | send lag p95 ms "
        "| CPU % of a core: rasa / actions / load gen | Rasa CPU ms per msg | Rasa RSS peak MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in steps:
        if s.get("skipped"):
            lines.append(f"| {s['offered_rate']} | skipped: {s['skipped']} ||||||||||")
            continue
        latency, cpu = s["latency_ms"], s.get("cpu_percent_of_one_core", {})
        rasa_cpu = " + ".join(str(v) for k, v in cpu.items() if k.startswith("rasa"))
        rss = " + ".join(str(v) for k, v in s.items() if k.startswith("rasa") and k.endswith("_rss_peak_mb"))
        lines.append(
            f"| {s['offered_rate']} | {s['sent']} | {s['answered_ok']} | {s['errors']} {s['error_kinds'] or ''} | "
            f"{s['achieved_rate']} | {latency.get('p50')} | {latency.get('p95')} | {latency.get('p99')} | {s['send_lag_ms'].get('p95')} | "
            f"{rasa_cpu} / {cpu.get('actions')} / {cpu.get('load_generator')} | {s.get('rasa_cpu_ms_per_message')} | {rss} |"
        )
    return lines


def _rate_axis(axis: Any, rates: List, xlabel: str, ylabel: str, title: str) -> None:
    axis.set_xscale("log", base=2)
    axis.set_xticks(rates)
    axis.set_xticklabels([str(x) for x in rates])
    axis.set_xlabel(xlabel)
    axis.set_ylabel(ylabel)
    axis.set_title(title)
    axis.legend(fontsize=8)


def plot(r: Dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    steps = [
        s for s in r.get("capacity", {}).get("steps", []) if not s.get("skipped") and s["latency_ms"].get("n")
    ]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5))
    if steps:
        rates = [s["offered_rate"] for s in steps]
        for key, style in (("p50", "o-"), ("p95", "s-"), ("p99", "^-")):
            left.plot(rates, [s["latency_ms"][key] for s in steps], style, label=key)
        scaled = [
            x
            for x in r.get("capacity_scale_out", {}).get("steps", [])
            if not x.get("skipped") and x["latency_ms"].get("n")
        ]
        if scaled:
            left.plot(
                [x["offered_rate"] for x in scaled],
                [x["latency_ms"]["p95"] for x in scaled],
                "d:",
                color="purple",
                label="p95, scale-out (2 Rasa servers)",
            )
        left.axhline(200, color="red", linestyle="--", linewidth=1, label="p95 target 200 ms")
        for s in steps:
            left.annotate(
                f"{s['errors']} err",
                (s["offered_rate"], s["latency_ms"]["p99"]),
                textcoords="offset points",
                xytext=(0, 8),
                ha="center",
                fontsize=8,
                color="red" if s["errors"] else "gray",
            )
        left.set_yscale("log")
        _rate_axis(
            left,
            rates,
            "offered rate (messages/s, open loop, REST)",
            "latency from scheduled send (ms)",
            "Latency against load",
        )
        left.grid(True, which="both", alpha=0.3)
        right.plot(rates, rates, "k--", linewidth=1, label="offered")
        right.plot(rates, [s["achieved_rate"] for s in steps], "o-", label="answered OK per s")
        right.bar(
            rates,
            [s["errors"] / s["duration_s"] for s in steps],
            width=[x * 0.3 for x in rates],
            color="red",
            alpha=0.5,
            label="errors per s",
        )
        _rate_axis(right, rates, "offered rate (messages/s)", "messages/s", "Throughput and errors")
        right.grid(True, alpha=0.3)
    m = r.get("machine", {})
    fig.suptitle(
        f"Community Justice Assistant, {m.get('cores')} cores, load avg before load {m.get('load_average_before_load')}",
        fontsize=10,
    )
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write_all(r: Dict, folder: Path) -> None:
    (folder / "results.json").write_text(json.dumps(r, indent=2) + "\n")
    (folder / "results.md").write_text(markdown(r))
    plot(r, folder / "latency_vs_load.png")
