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
    q, lat, cap, start, mem = r.get("quality", {}), r.get("latency", {}), r.get("capacity", {}), r.get("startup", {}), r.get("memory", {})
    ours, default, tfidf = q.get("ours", {}), q.get("rasa_default", {}), q.get("tfidf_1nn", {})
    acc, f1 = ours.get("intent_accuracy"), ours.get("macro_f1")
    out: List[List[str]] = []

    def row(measure, value, target, ok):
        out.append([measure, value, target, _met(ok)])

    def lt(v, t):
        return None if v is None else v < t

    row("Held-out intent accuracy (ours)", _fmt(acc), ">= 0.95", None if acc is None else acc >= TARGETS["accuracy"])
    row("Held-out macro F1 (ours)", _fmt(f1), "above both references", None if f1 is None or not default or not tfidf
        else f1 > default.get("macro_f1", 1) and f1 > tfidf.get("macro_f1", 1))
    for name, ref in (("Rasa default pipeline", default), ("TF-IDF 1-NN", tfidf)):
        if ref:
            ra = acc / ref["intent_accuracy"] if acc and ref.get("intent_accuracy") else None
            rf = f1 / ref["macro_f1"] if f1 and ref.get("macro_f1") else None
            row(f"{name}: accuracy / macro F1", f"{_fmt(ref.get('intent_accuracy'))} / {_fmt(ref.get('macro_f1'))}",
                "below ours", None if ra is None else ref["intent_accuracy"] < acc)
            row(f"Ours / {name} (accuracy, macro F1 ratio)", f"{_fmt(ra)}, {_fmt(rf)}", "> 1", None if ra is None else ra > 1 and rf > 1)
    for channel in ("rest", "socketio"):
        label = "REST" if channel == "rest" else "Socket.IO"
        p = _get(lat, channel, "conversation", "turn_latency_ms")
        if p:
            row(f"{label}: one support conversation, per-turn p50 / p95 / p99",
                f"{p['p50']} / {p['p95']} / {p['p99']} ms", "p95 < 100 ms", lt(p["p95"], TARGETS["turn_p95_ms"]))
        t = _get(lat, channel, "conversation", "conversation_total_ms")
        if t:
            row(f"{label}: whole 4-turn conversation p50 / p95 / p99", f"{t['p50']} / {t['p95']} / {t['p99']} ms", "", None)
        s = _get(lat, channel, "single", "latency_ms")
        if s:
            row(f"{label}: single message (new conversation) p50 / p95 / p99",
                f"{s['p50']} / {s['p95']} / {s['p99']} ms", "p95 < 100 ms", lt(s["p95"], TARGETS["turn_p95_ms"]))
    held = cap.get("highest_rate_held")
    row("Capacity: highest offered rate with p95 < 200 ms and no errors (REST, open loop)",
        f"{held} msg/s" if held is not None else "none of the steps", ">= 40 msg/s",
        None if not cap.get("steps") else (held or 0) >= TARGETS["capacity_rate"])
    if cap.get("rasa_cpu_ms_per_message"):
        row("Rasa server CPU per message (median over load steps); one-core ceiling",
            f"{cap['rasa_cpu_ms_per_message']} ms; {cap.get('single_process_ceiling_msg_per_s')} msg/s", "ceiling >= 40 msg/s",
            (cap.get("single_process_ceiling_msg_per_s") or 0) >= TARGETS["capacity_rate"])
    if cap.get("breaks_at") is not None:
        row("Capacity: first rate that breaks", f"{cap['breaks_at']} msg/s ({cap.get('breaks_because')})", "", None)
    scaled = r.get("capacity_scale_out", {})
    if scaled.get("steps"):
        held_scaled = scaled.get("highest_rate_held")
        row("Capacity, scale-out on the same 2 cores (2 Rasa servers behind nginx, PostgreSQL, Redis): highest rate held",
            f"{held_scaled} msg/s" if held_scaled is not None else "none of the steps", ">= 40 msg/s",
            (held_scaled or 0) >= TARGETS["capacity_rate"])
        if scaled.get("breaks_at") is not None:
            row("Capacity, scale-out: first rate that breaks",
                f"{scaled['breaks_at']} msg/s ({scaled.get('breaks_because')})", "", None)
    row("Server ready (both servers answer)", _fmt(start.get("ready_s"), " s"), "< 30 s", lt(start.get("ready_s"), TARGETS["ready_s"]))
    tr = start.get("training_s")
    row(f"Training time, full `rasa train` ({start.get('training_source', 'timed by the bench')})",
        _fmt(tr, " s"), "< 300 s", lt(tr, TARGETS["training_s"]))
    for when in ("idle", "peak_under_load"):
        v = _get(mem, "rasa", when)
        row(f"Rasa server RSS, {when.replace('_', ' ')}", _fmt(v, " MB"), "< 1.5 GB", lt(v, TARGETS["rasa_rss_mb"]))
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
        row("Action server round trip (action_answer_topic) p50 / p95", f"{act['p50']} / {act['p95']} ms", "", None)
    check = _get(parts, "action_server", "reply_validation_ms")
    if check:
        row("Rasa's check of each action reply, as the server runs it (validator built once) p50 / p95",
            f"{check['p50']} / {check['p95']} ms", "", None)
    stock = _get(parts, "action_server", "reply_validation_stock_rasa_ms")
    if stock:
        row("The same check in stock Rasa 3.6 (jsonschema.validate rebuilds the validator) p50 / p95",
            f"{stock['p50']} / {stock['p95']} ms", "", None)
    for item in _get(parts, "breakdown", "parts", default=[]) or []:
        row(f"Share of a reply: {item['part']}", f"{item['mean_ms']} ms ({item['share_pct']}%)", "", None)
    rt = r.get("bench_runtime_s")
    if start.get("default_nlu_reused"):
        # Without training the reference this is not what a fresh clone takes: not judged here.
        row("Benchmark script runtime (`make bench` after `make train`; reference model reused)", _fmt(rt, " s"),
            "< 15 min with a fresh clone", None)
    else:
        row("Benchmark script runtime (`make bench` after `make train`)", _fmt(rt, " s"),
            "< 15 min with a fresh clone", lt(rt, TARGETS["bench_runtime_s"]))
    return out


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
        lines[2:2] = ["**Not every step ran.** Each figure below comes from a step that completed; the others:", ""] + [
            f"- {s['step']}: {s['status']} after {s.get('seconds')} s: {s.get('reason')}" for s in steps if s.get("status") != "ok"
        ] + [""]
    lines += [f"| {' | '.join(cells)} |" for cells in rows(r)]
    cap = r.get("capacity", {})
    if cap.get("steps"):
        lines += ["", "## Open-loop load (REST), one Rasa server", "", cap.get("method", ""), ""]
        lines += step_table(cap["steps"])
        lines += ["", "![latency against load](latency_vs_load.png)"]
    scaled = r.get("capacity_scale_out", {})
    if scaled.get("steps"):
        lines += ["", "## Open-loop load (REST), scale-out topology on the same machine", "",
                  f"{scaled.get('topology')}; ready in {scaled.get('ready_s')} s. Same load as above, sent to nginx. "
                  "CPU columns: each Rasa server's share of one core.", ""]
        lines += step_table(scaled["steps"])
    bd = _get(r, "parts", "breakdown")
    if bd:
        lines += ["", "## Where the time of one reply goes", "", bd.get("method", ""), "",
                  "| part | mean ms | share |", "|---|---|---|"]
        lines += [f"| {p['part']} | {p['mean_ms']} | {p['share_pct']}% |" for p in bd["parts"]]
    q = r.get("quality", {})
    if q:
        lines += ["", "## Answer quality (held-out tests/nlu/test_nlu.yml)", "",
                  f"{q.get('test_examples')} test examples, {q.get('training_examples')} training examples. "
                  "Intents scored like `rasa test nlu` (a FallbackClassifier prediction is undone).", "",
                  "| model | intent accuracy | macro F1 | errors | parse ms p50 | intents with F1 < 0.9 |", "|---|---|---|---|---|---|"]
        for name in ("ours", "rasa_default", "tfidf_1nn"):
            v = q.get(name)
            if not v:
                continue
            parse = _get(v, "parse_ms", "p50", default=v.get("parse_ms_per_message"))
            weak = ", ".join(f"{n} {f}" for n, f in v.get("weak_intents_f1_below_0.9", []))
            lines.append(f"| {name} | {v['intent_accuracy']} | {v['macro_f1']} | {v['errors']} | {parse} | {weak} |")
    notes = r.get("notes", [])
    if notes:
        lines += ["", "## Notes", ""] + [f"- {n}" for n in notes]
    return "\n".join(lines) + "\n"


def step_table(steps: List[Dict]) -> List[str]:
    lines = ["| offered msg/s | sent | ok | errors | achieved msg/s | p50 ms | p95 ms | p99 ms | send lag p95 ms "
             "| CPU % of a core: rasa / actions / load gen | Rasa CPU ms per msg | Rasa RSS peak MB |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for s in steps:
        if s.get("skipped"):
            lines.append(f"| {s['offered_rate']} | skipped: {s['skipped']} ||||||||||")
            continue
        l, cpu = s["latency_ms"], s.get("cpu_percent_of_one_core", {})
        rasa_cpu = " + ".join(str(v) for k, v in cpu.items() if k.startswith("rasa"))
        rss = " + ".join(str(v) for k, v in s.items() if k.startswith("rasa") and k.endswith("_rss_peak_mb"))
        lines.append(
            f"| {s['offered_rate']} | {s['sent']} | {s['answered_ok']} | {s['errors']} {s['error_kinds'] or ''} | "
            f"{s['achieved_rate']} | {l.get('p50')} | {l.get('p95')} | {l.get('p99')} | {s['send_lag_ms'].get('p95')} | "
            f"{rasa_cpu} / {cpu.get('actions')} / {cpu.get('load_generator')} | {s.get('rasa_cpu_ms_per_message')} | {rss} |")
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

    steps = [s for s in r.get("capacity", {}).get("steps", []) if not s.get("skipped") and s["latency_ms"].get("n")]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5))
    if steps:
        rates = [s["offered_rate"] for s in steps]
        for key, style in (("p50", "o-"), ("p95", "s-"), ("p99", "^-")):
            left.plot(rates, [s["latency_ms"][key] for s in steps], style, label=key)
        scaled = [x for x in r.get("capacity_scale_out", {}).get("steps", [])
                  if not x.get("skipped") and x["latency_ms"].get("n")]
        if scaled:
            left.plot([x["offered_rate"] for x in scaled], [x["latency_ms"]["p95"] for x in scaled], "d:",
                      color="purple", label="p95, scale-out (2 Rasa servers)")
        left.axhline(200, color="red", linestyle="--", linewidth=1, label="p95 target 200 ms")
        for s in steps:
            left.annotate(f"{s['errors']} err", (s["offered_rate"], s["latency_ms"]["p99"]),
                          textcoords="offset points", xytext=(0, 8), ha="center", fontsize=8,
                          color="red" if s["errors"] else "gray")
        left.set_yscale("log")
        _rate_axis(left, rates, "offered rate (messages/s, open loop, REST)", "latency from scheduled send (ms)",
                   "Latency against load")
        left.grid(True, which="both", alpha=0.3)
        right.plot(rates, rates, "k--", linewidth=1, label="offered")
        right.plot(rates, [s["achieved_rate"] for s in steps], "o-", label="answered OK per s")
        right.bar(rates, [s["errors"] / s["duration_s"] for s in steps], width=[x * 0.3 for x in rates],
                  color="red", alpha=0.5, label="errors per s")
        _rate_axis(right, rates, "offered rate (messages/s)", "messages/s", "Throughput and errors")
        right.grid(True, alpha=0.3)
    m = r.get("machine", {})
    fig.suptitle(f"Community Justice Assistant, {m.get('cores')} cores, load avg before load {m.get('load_average_before_load')}",
                 fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write_all(r: Dict, folder: Path) -> None:
    (folder / "results.json").write_text(json.dumps(r, indent=2) + "\n")
    (folder / "results.md").write_text(markdown(r))
    plot(r, folder / "latency_vs_load.png")
