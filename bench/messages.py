"""The messages and conversations the benchmark sends (no Rasa import: used by the load generator)."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[1]
TEST_SET = PROJECT_ROOT / "tests" / "nlu" / "test_nlu.yml"

# The support-routes conversation named in the issue: form asks who, what, where; ends with routes.
SUPPORT_CONVERSATION = ["I need help", "for my son", "housing", "Kilmarnock"]

# Conversation mix for the open-loop load (each a visitor's plausible session).
LOAD_SCRIPTS: List[List[str]] = [
    SUPPORT_CONVERSATION,
    ["hello", "what is community justice?", "tell me more", "thanks"],
    ["who are the partners in Ayrshire?", "how do I contact them", "bye"],
    ["what is a community payback order", "what happens when someone is released from prison", "ok thanks"],
    [
        "my brother's in HMP Kilmarnock and I don't know how to cope",
        "how do I visit him",
        "I stay in Kilmarnock",
    ],
]

# Single-turn messages for the same-run comparison with the stock `rasa init` bot
# (bench/startup_comparison.py): typical first messages of a visit to ours, and the stock bot's own
# training examples (each answered with no conversation before it: "no" is not, so it is left out).
TYPICAL_MESSAGES: List[str] = [
    "hello",
    "what is community justice?",
    "I need help",
    "who are the partners in Ayrshire?",
    "what is a community payback order",
    "what happens when someone is released from prison",
    "my brother's in HMP Kilmarnock and I don't know how to cope",
    "how do I contact them",
    "what can you do?",
    "thanks",
]
STOCK_MESSAGES: List[str] = [
    "hello",
    "good morning",
    "I am sad",
    "great",
    "my day was horrible",
    "perfect",
    "are you a bot?",
    "yes",
    "am I talking to a bot?",
    "bye",
]


def repeated(texts: List[str], count: int) -> List[str]:
    """`count` messages, going round `texts` in order."""
    return [texts[i % len(texts)] for i in range(count)]


_ANNOTATION = re.compile(r"\[([^\]]+)\]\((?:[^)]+)\)|\[([^\]]+)\]\{[^}]*\}")


def strip_annotations(text: str) -> str:
    return _ANNOTATION.sub(lambda m: m.group(1) or m.group(2), text)


def test_examples() -> List[Tuple[str, str]]:
    """(plain text, intent) pairs from the held-out test set."""
    data = yaml.safe_load(TEST_SET.read_text())
    out = []
    for block in data.get("nlu", []):
        if "intent" not in block:
            continue
        for line in block["examples"].splitlines():
            line = line.strip()
            if line.startswith("- "):
                out.append((strip_annotations(line[2:].strip()), block["intent"]))
    return out


def topic_questions(limit: int, seed: int = 7) -> List[str]:
    """Held-out questions whose intent is answered by action_answer_topic (one custom action call)."""
    from bot.conversation.intents import TOPIC_INTENTS

    questions = [text for text, intent in test_examples() if intent in TOPIC_INTENTS]
    random.Random(seed).shuffle(questions)
    return questions[:limit]


def socket_message_count(replies: List[Dict]) -> int:
    """How many `bot_uttered` events Rasa's Socket.IO channel emits for these REST replies:
    it splits every text on blank lines into separate messages (SocketIOOutput)."""
    count = 0
    for reply in replies:
        text = reply.get("text")
        if text is not None:
            count += len(text.strip().split("\n\n")) or 1
            # an image or custom payload alongside text is sent as a separate message
            count += sum(1 for key in ("image", "attachment", "custom") if reply.get(key))
        else:
            count += 1
    return count
