"""Feedback from the public on the assistant's answers: "Was this helpful? Yes / No" and "Report a
wrong or out-of-date answer" under each answer in the widget.

- Which replies are answers: the first message of a reply built from content carries the content
  entry ids in the stored bot event's metadata (`content_entries`, set by actions/actions.py), which
  Rasa never sends to the visitor. `AnswerMarking` (wrapped around each turn's output channel by the
  guarded channels) sends one more message right after such a message:
  `{"custom": {"feedback": {"answer": "<ref>"}}}`, where the ref is the stored bot event's timestamp.
  It names the answer within its conversation and says nothing about its content.
- `POST /webhooks/rest/feedback` with `{"sender": "<conversation id>", "answer": "<ref>",
  "rating": "helpful" | "not_helpful" | "report"}` (no free text is accepted) appends a
  `FeedbackGiven` event to that conversation, with the content entry ids of the answer, under the
  conversation's lock, like Rasa's own events. It has no effect on the dialogue: no slot, intent or
  action changes, so the conversation carries on as if nothing happened. `make insights` counts them.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Tuple

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.shared.core.events import BotUttered, Event
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_ext.guards import BadRequest, conversation_of

FEEDBACK_EVENT = "cj_feedback"
RATINGS = ("helpful", "not_helpful", "report")
CONTENT_ENTRIES = "content_entries"  # the bot event's metadata key (actions/actions.py)
ANSWER_REF = re.compile(r"\d{1,12}(?:\.\d{1,9})?(?:[eE][+-]?\d{1,3})?")
FEEDBACK_FIELDS = {"sender", "answer", "rating"}


class FeedbackGiven(Event):
    """A visitor's verdict on one answer. Changes nothing in the conversation's state."""

    type_name = FEEDBACK_EVENT

    def __init__(
        self,
        rating: str,
        answer: str,
        content_entries: Optional[List[str]] = None,
        timestamp: Optional[float] = None,
        metadata: Optional[Dict[str, Any]] = None,
    ) -> None:
        super().__init__(timestamp, metadata)
        self.rating, self.answer, self.content_entries = rating, answer, list(content_entries or [])

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, FeedbackGiven) and (self.rating, self.answer, self.content_entries) == (
            other.rating,
            other.answer,
            other.content_entries,
        )

    def __hash__(self) -> int:
        return hash((self.rating, self.answer, tuple(self.content_entries)))

    def __str__(self) -> str:
        return f"FeedbackGiven({self.rating}, answer {self.answer}, {self.content_entries})"

    def as_story_string(self) -> None:
        return None  # not part of any story: the dialogue never sees it

    def as_dict(self) -> Dict[str, Any]:
        d = super().as_dict()
        d.update({"rating": self.rating, "answer": self.answer, CONTENT_ENTRIES: list(self.content_entries)})
        return d

    @classmethod
    def _from_parameters(cls, parameters: Dict[str, Any]) -> FeedbackGiven:
        return cls(
            parameters.get("rating", ""),
            parameters.get("answer", ""),
            parameters.get(CONTENT_ENTRIES) or [],
            parameters.get("timestamp"),
            parameters.get("metadata"),
        )


def answer_ref(timestamp: float) -> str:
    return repr(float(timestamp))


class AnswerMarking(OutputChannel):
    """The turn's output channel, passing everything on, plus a feedback marker after each answer."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner

    def name(self) -> str:  # Rasa picks channel-specific responses by it
        return self.inner.name()

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        entries = message.get(CONTENT_ENTRIES)
        timestamp = message.get("timestamp")
        await self.inner.send_response(recipient_id, message)
        if entries and isinstance(timestamp, (int, float)):
            await self.inner.send_custom_json(recipient_id, {"feedback": {"answer": answer_ref(timestamp)}})

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.inner.send_text_message(recipient_id, text, **kwargs)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        await self.inner.send_text_with_buttons(recipient_id, text, buttons, **kwargs)

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        await self.inner.send_quick_replies(recipient_id, text, quick_replies, **kwargs)

    async def send_custom_json(self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any) -> None:
        await self.inner.send_custom_json(recipient_id, json_message, **kwargs)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.inner.send_image_url(recipient_id, image, **kwargs)

    async def send_attachment(self, recipient_id: str, attachment: str, **kwargs: Any) -> None:
        await self.inner.send_attachment(recipient_id, attachment, **kwargs)

    async def send_elements(self, recipient_id: str, elements: List[Dict[str, Any]], **kwargs: Any) -> None:
        await self.inner.send_elements(recipient_id, elements, **kwargs)


def marking_answers(on_new_message: Any) -> Any:
    """Wraps the callable a channel hands to Rasa: each turn's output channel marks answers."""

    async def marked(message: UserMessage) -> None:
        message.output_channel = AnswerMarking(message.output_channel)
        await on_new_message(message)

    return marked


def parse_feedback(body: Any) -> Tuple[str, str, str]:
    """(sender, answer ref, rating) of a feedback request body, checked; BadRequest says what is wrong."""
    sender = conversation_of(body)
    unknown = set(body) - FEEDBACK_FIELDS
    if unknown:
        raise BadRequest(
            f"Unknown field(s) {', '.join(sorted(map(str, unknown)))}: send only sender, answer and rating."
        )
    answer, rating = body.get("answer"), body.get("rating")
    if not isinstance(answer, str) or not ANSWER_REF.fullmatch(answer):
        raise BadRequest("'answer' must be the answer reference the assistant sent with the answer.")
    if rating not in RATINGS:
        raise BadRequest(f"'rating' must be one of {', '.join(RATINGS)}.")
    return sender, answer, rating


def answer_in(tracker: DialogueStateTracker, ref: str) -> Optional[BotUttered]:
    """The bot message of this conversation that `ref` names, if it was an answer built from content."""
    wanted = float(ref)
    for event in reversed(tracker.events):
        if (
            isinstance(event, BotUttered)
            and abs(event.timestamp - wanted) < 1e-6
            and (event.metadata or {}).get(CONTENT_ENTRIES)
        ):
            return event
    return None


async def record_feedback(agent: Any, sender: str, ref: str, rating: str) -> Optional[FeedbackGiven]:
    """Append the feedback to the conversation; None when it has no such answer. Call with its lock held."""
    tracker = await agent.tracker_store.retrieve(sender)
    answer = answer_in(tracker, ref) if tracker is not None else None
    if answer is None:
        return None
    entries = [str(entry) for entry in answer.metadata[CONTENT_ENTRIES]]
    event = FeedbackGiven(rating, ref, entries)
    tracker.update(event)
    await agent.tracker_store.save(tracker)
    return event
