"""Outcome evaluation: run the conversations in tests/e2e/cases/ over REST and check the facts each
reply must (and must not) contain. This measures what a person receives, not intent labels.

`python -m bot.tools.outcomes --url http://localhost:5005` runs every case against a running
assistant and writes build/results/outcomes.{json,md}; the test suite runs it in `make test`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Union

import yaml

from bot.settings import PROJECT_ROOT

CASES_DIR = PROJECT_ROOT / "tests" / "e2e" / "cases"
RESULTS_DIR = PROJECT_ROOT / "build" / "results"
# Replies that never count as an answer, whatever a case expects.
ALWAYS_REJECTED = ("can't answer properly right now",)

Expectation = Union[str, List[str]]


@dataclass
class Turn:
    user: str
    expect: List[Expectation] = field(default_factory=list)
    reject: List[str] = field(default_factory=list)


@dataclass
class Case:
    id: str
    file: str
    turns: List[Turn]
    partnership: Optional[str] = None
    who: str = ""


@dataclass
class TurnResult:
    user: str
    reply: str
    missing: List[str]
    unwanted: List[str]
    error: Optional[str] = None

    @property
    def passed(self) -> bool:
        return not self.missing and not self.unwanted and self.error is None


@dataclass
class CaseResult:
    case: Case
    turns: List[TurnResult]

    @property
    def passed(self) -> bool:
        return all(t.passed for t in self.turns)


def load_cases(directory: Path = CASES_DIR) -> List[Case]:
    cases: List[Case] = []
    for path in sorted(directory.glob("*.yml")):
        for raw in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("cases", []):
            turns = [
                Turn(str(t["user"]), list(t.get("expect") or []), list(t.get("reject") or []))
                for t in raw["turns"]
            ]
            cases.append(Case(raw["id"], path.name, turns, raw.get("partnership"), raw.get("who", "")))
    ids = [c.id for c in cases]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise ValueError(f"duplicate case ids: {', '.join(sorted(duplicates))}")
    return cases


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().lower()


def contains(reply: str, fact: str) -> bool:
    """The matching rules of tests/e2e/cases/README.md."""
    haystack, needle = _normalise(reply), _normalise(fact)
    if re.search(r"\d", needle):
        return needle.replace(" ", "") in haystack.replace(" ", "")
    return needle in haystack


def check_turn(reply: str, turn: Turn) -> TurnResult:
    missing = []
    for expected in turn.expect:
        alternatives = expected if isinstance(expected, list) else [expected]
        if not any(contains(reply, alternative) for alternative in alternatives):
            missing.append(" | ".join(alternatives))
    unwanted = [r for r in [*turn.reject, *ALWAYS_REJECTED] if contains(reply, r)]
    if not reply.strip():
        missing.append("(any reply at all)")
    return TurnResult(turn.user, reply, missing, unwanted)


def reply_text(replies: Sequence[Dict[str, Any]]) -> str:
    """What a person reads: texts, button titles and titled links."""
    parts: List[str] = []
    for reply in replies:
        if reply.get("text"):
            parts.append(str(reply["text"]))
        parts.extend(str(b.get("title", "")) for b in reply.get("buttons") or [])
        custom = reply.get("custom") or {}
        parts.extend(f"{link.get('label', '')} ({link.get('url', '')})" for link in custom.get("links") or [])
    return "\n".join(parts)


def send(
    url: str, sender: str, message: str, metadata: Optional[dict], timeout: float
) -> List[Dict[str, Any]]:
    body: Dict[str, Any] = {"sender": sender, "message": message}
    if metadata:
        body["metadata"] = metadata
    request = urllib.request.Request(
        f"{url}/webhooks/rest/webhook",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def run_case(url: str, case: Case, timeout: float = 60) -> CaseResult:
    sender = str(uuid.uuid4())
    metadata = {"partnership": case.partnership} if case.partnership else None
    results: List[TurnResult] = []
    for turn in case.turns:
        try:
            reply = reply_text(send(url, sender, turn.user, metadata, timeout))
            results.append(check_turn(reply, turn))
        except (urllib.error.URLError, OSError, ValueError) as error:
            results.append(TurnResult(turn.user, "", [], [], error=f"{type(error).__name__}: {error}"))
            break
    return CaseResult(case, results)


def run_all(url: str, cases: List[Case], workers: int = 4) -> List[CaseResult]:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda case: run_case(url, case), cases))


def summary(results: List[CaseResult]) -> Dict[str, Any]:
    def rate(items: List[CaseResult]) -> Dict[str, Any]:
        passed = sum(r.passed for r in items)
        return {
            "cases": len(items),
            "passed": passed,
            "rate": round(passed / len(items), 4) if items else None,
        }

    by_file: Dict[str, List[CaseResult]] = {}
    for result in results:
        by_file.setdefault(result.case.file, []).append(result)
    first_turns = [CaseResult(r.case, r.turns[:1]) for r in results]
    return {
        "all": rate(results),
        "first_reply": rate(first_turns),
        "dumfries_galloway": rate([r for r in results if r.case.partnership == "dumfries_galloway"]),
        "by_file": {name: rate(items) for name, items in sorted(by_file.items())},
    }


def write_report(results: List[CaseResult], seconds: float, out: Path = RESULTS_DIR) -> Dict[str, Any]:
    out.mkdir(parents=True, exist_ok=True)
    totals = summary(results)
    totals["seconds"] = round(seconds, 1)
    failures: List[Dict[str, Any]] = [
        {
            "id": r.case.id,
            "file": r.case.file,
            "turns": [
                {
                    "user": t.user,
                    "reply": t.reply,
                    "missing": t.missing,
                    "unwanted": t.unwanted,
                    "error": t.error,
                }
                for t in r.turns
            ],
        }
        for r in results
        if not r.passed
    ]
    (out / "outcomes.json").write_text(
        json.dumps({"summary": totals, "failures": failures}, indent=2), encoding="utf-8"
    )
    lines = [
        "# Outcome evaluation",
        "",
        f"{totals['all']['passed']} of {totals['all']['cases']} conversations passed ({totals['all']['rate']:.1%}); "
        f"first replies {totals['first_reply']['rate']:.1%}; in {seconds:.0f} s.",
        "",
        "| file | cases | passed | rate |",
        "|---|---|---|---|",
        *(
            f"| {name} | {r['cases']} | {r['passed']} | {r['rate']:.1%} |"
            for name, r in totals["by_file"].items()
        ),
        "",
        "## Failures",
        "",
    ]
    for failure in failures:
        lines.append(f"### {failure['id']} ({failure['file']})")
        for turn in failure["turns"]:
            lines.append(f"- **User:** {turn['user']}")
            if turn["error"]:
                lines.append(f"  - error: {turn['error']}")
            if turn["missing"]:
                lines.append(f"  - missing: {'; '.join(turn['missing'])}")
            if turn["unwanted"]:
                lines.append(f"  - should not say: {'; '.join(turn['unwanted'])}")
            lines.append("  - reply: " + turn["reply"].replace("\n", " / ")[:600])
        lines.append("")
    (out / "outcomes.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return totals


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://localhost:5005")
    parser.add_argument("--cases", type=Path, default=CASES_DIR)
    parser.add_argument("--out", type=Path, default=RESULTS_DIR)
    parser.add_argument("--only", help="run only the cases whose id contains this text")
    parser.add_argument("--min-rate", type=float, default=0.0)
    args = parser.parse_args(argv)
    cases = [c for c in load_cases(args.cases) if not args.only or args.only in c.id]
    started = time.monotonic()
    results = run_all(args.url.rstrip("/"), cases)
    totals = write_report(results, time.monotonic() - started, args.out)
    print(json.dumps({k: totals[k] for k in ("all", "first_reply", "dumfries_galloway")}))
    print(f"Report: {args.out / 'outcomes.md'}")
    return 0 if (totals["all"]["rate"] or 0) >= args.min_rate else 1


if __name__ == "__main__":
    sys.exit(main())
