"""The last NLU step (config.yml): make sure distress is never missed and requests for help are
never lost to "did you mean".

1. Crisis: the message is a crisis when the rules of bot.understanding say so, or when two
   classifiers agree: the intent classifier's top intent is a crisis intent with confidence at least
   `classifier_threshold`, and a second crisis classifier (logistic regression on the sentence
   embedding alone, trained with the model on the crisis intents against every other intent) gives a
   crisis probability at least `crisis_threshold`. Questions for information ("what's the sentence
   for ...") and harm that is over ("years ago, I'm fine now") are never a crisis on the classifiers'
   word alone. A crisis intent the evidence does not support gives way to the next intent.
2. Help: when DIET's intent says nothing specific (a greeting, "yes", out of scope, fallback...) but
   the message says who needs help or what with, the intent becomes the matching support request.
3. What the rules and classifiers read (crisis kinds, audience, needs, follow-up, the classifier's own
   intent) is added to the parse data as `cj_reading`, stored with the message for staff mode and
   the actions. Not as entities: Rasa's evaluation would count them as wrong entities.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Dict, List, Optional

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.content.vocabulary import CRISIS_KINDS, crisis_intent, crisis_kind_of_intent
from bot.rasa_ext.nlu.sentence_features import embedding_of
from bot.understanding.patterns import is_information_question
from bot.understanding.signals import Signals, read

logger = logging.getLogger(__name__)
EXTRACTOR = "SupportSignals"
READING = "cj_reading"  # what this step saw, for staff mode and evaluation
NOT_CRISIS = "none"
# Intents answered by a fixed reply (data/stories/rules.yml): when the message also says who needs
# help or what with ("hi, my son's just been jailed"), the support request wins. Every other intent
# goes to action_answer, which reads the same signals itself.
FALLBACK_THRESHOLD = 0.3  # FallbackClassifier's threshold in config.yml
ROUTED_ELSEWHERE = {"greet", "goodbye", "thank", "bot_challenge", "what_can_you_do"}
SUPPORT_FOR_KIND = {  # a crisis intent the evidence did not bear out: help with that kind of trouble
    "domestic_abuse": "request_support_victim",
    "sexual_violence": "request_support_victim",
    "suicidal": "request_support",
    "danger": "request_support",
}
AUDIENCE_INTENTS = {
    "family": "request_support_family",
    "victim_witness": "request_support_victim",
    "convicted": "request_support_convicted",
    "leaving_prison": "request_support_release",
}


def _intent(name: str, confidence: float) -> Dict[str, Any]:
    return {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: float(confidence)}


class CrisisModel:
    """Multinomial logistic regression over sentence embeddings: crisis kinds and "none"."""

    def __init__(self, classes: List[str], coef: np.ndarray, intercept: np.ndarray) -> None:
        self.classes, self.coef, self.intercept = classes, coef, intercept

    @classmethod
    def fit(cls, vectors: np.ndarray, labels: List[str], c: float) -> CrisisModel:
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
        model.fit(vectors, labels)
        coef, intercept = model.coef_, model.intercept_
        if len(model.classes_) == 2:  # binary: sklearn keeps one row; make it two
            coef, intercept = np.vstack([-coef, coef]), np.array([-intercept[0], intercept[0]])
        return cls(list(model.classes_), coef.astype(np.float32), intercept.astype(np.float32))

    def probabilities(self, vector: np.ndarray) -> Dict[str, float]:
        scores = self.coef @ vector + self.intercept
        scores = np.exp(scores - scores.max())
        scores /= scores.sum()
        return dict(zip(self.classes, (float(s) for s in scores)))

    def to_json(self) -> Dict[str, Any]:
        return {"classes": self.classes, "coef": self.coef.tolist(), "intercept": self.intercept.tolist()}

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> CrisisModel:
        return cls(
            data["classes"],
            np.array(data["coef"], dtype=np.float32),
            np.array(data["intercept"], dtype=np.float32),
        )


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SupportSignals(GraphComponent, IntentClassifier):
    @classmethod
    def required_components(cls) -> List[type]:
        # It reads DIET's intent when processing, but trains only on the sentence embeddings, so Rasa
        # must not require an intent classifier before its training step.
        return []

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "classifier_threshold": 0.5,
            "crisis_threshold": 0.3,  # both agree
            "leaning_threshold": 0.3,
            "confident_threshold": 0.9,  # the classifier leans, the embedding is confident
            "sure_threshold": 0.99,  # the embedding is all but sure and a crisis intent is among the first few
            "regularisation": 4.0,
        }

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Optional[CrisisModel] = None,
    ) -> None:
        self.config, self.model_storage, self.resource, self.model = config, model_storage, resource, model

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SupportSignals:
        return cls(config, model_storage, resource)

    # ---- training ---------------------------------------------------------
    def train(self, training_data: TrainingData) -> Resource:
        vectors, labels = [], []
        for message in training_data.intent_examples:
            vector = embedding_of(message)
            if vector is None:
                continue
            vectors.append(vector)
            labels.append(crisis_kind_of_intent(message.get(INTENT) or "") or NOT_CRISIS)
        if len(set(labels)) > 1:
            self.model = CrisisModel.fit(np.stack(vectors), labels, self.config["regularisation"])
            with self.model_storage.write_to(self.resource) as directory:
                (directory / "crisis_model.json").write_text(json.dumps(self.model.to_json()))
        return self.resource

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SupportSignals:
        model = None
        try:
            with model_storage.read_from(resource) as directory:
                model = CrisisModel.from_json(json.loads((directory / "crisis_model.json").read_text()))
        except (ValueError, OSError):
            logger.warning("No crisis classifier in the model: crisis detection uses the rules only.")
        return cls(config, model_storage, resource, model)

    # ---- inference ----------------------------------------------------------
    def crisis_probabilities(self, message: Message) -> Dict[str, float]:
        vector = embedding_of(message)
        if self.model is None or vector is None:
            return {}
        return self.model.probabilities(vector)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text or text.startswith("/"):
                continue
            signals = read(text)
            before = _top_intent(message)
            probabilities = self.crisis_probabilities(message)
            crisis_probability = 1.0 - probabilities.get(NOT_CRISIS, 1.0)
            kinds = list(signals.crisis) or self._classifiers_agree(
                signals, message, before, crisis_probability
            )
            # The rules read one kind ("says he'll hurt me": danger); the classifier, sure of a crisis, may
            # read the situation behind it (domestic abuse). The reply covers both; the intent is the
            # classifier's reading.
            leaning = crisis_kind_of_intent(before.get(INTENT_NAME_KEY) or "")
            confident = (before.get(PREDICTED_CONFIDENCE_KEY) or 0.0) >= self.config["classifier_threshold"]
            if kinds and leaning and confident and leaning not in kinds:
                kinds.append(leaning)
            message.set(
                READING,
                {
                    "rules": list(signals.crisis),
                    "crisis": list(kinds),
                    "crisis_probability": round(crisis_probability, 3),
                    "classifier_intent": before.get(INTENT_NAME_KEY),
                    "classifier_confidence": before.get(PREDICTED_CONFIDENCE_KEY),
                    "audience": signals.audience,
                    "needs": list(signals.needs),
                    "follow_up": signals.follow_up,
                    "correction": signals.correction,
                    "about": "self"
                    if signals.self_reference
                    else ("someone else" if signals.about_someone_else else None),
                },
                add_to_output=True,
            )
            if kinds:
                kind = leaning if leaning in kinds else _most_urgent(kinds)
                self._set_intent(message, crisis_intent(kind), max(crisis_probability, 0.9))
                continue
            if crisis_kind_of_intent(before.get(INTENT_NAME_KEY) or ""):
                self._drop_crisis_intents(message)
            current = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if current in ROUTED_ELSEWHERE and (signals.audience or signals.needs or signals.prisons):
                self._set_intent(message, self._support_intent(signals), 0.9)
        return messages

    def _classifiers_agree(
        self, signals: Signals, message: Message, before: Dict[str, Any], crisis_probability: float
    ) -> List[str]:
        if is_information_question(signals.text):
            return []
        kind = crisis_kind_of_intent(before.get(INTENT_NAME_KEY) or "")
        confidence = before.get(PREDICTED_CONFIDENCE_KEY) or 0.0
        supported = self.model is None or crisis_probability >= self.config["crisis_threshold"]
        if kind and confidence >= self.config["classifier_threshold"] and supported:
            return [kind]
        # the classifier leans to crisis, and the embedding classifier is confident
        if (
            kind
            and confidence >= self.config["leaning_threshold"]
            and crisis_probability >= self.config["confident_threshold"]
        ):
            return [kind]
        # the embedding classifier is all but sure, and a crisis intent is among the classifier's first three
        if self.model is not None and crisis_probability >= self.config["sure_threshold"]:
            for ranked in (message.get(INTENT_RANKING_KEY) or [])[:4]:
                leaning = crisis_kind_of_intent(ranked.get(INTENT_NAME_KEY) or "")
                if leaning:
                    return [leaning]
        return []

    @staticmethod
    def _drop_crisis_intents(message: Message) -> None:
        """A crisis intent without the evidence gives way to the next intent (or stays a fallback)."""
        ranking = [
            r
            for r in message.get(INTENT_RANKING_KEY) or []
            if not crisis_kind_of_intent(r.get(INTENT_NAME_KEY) or "")
        ]
        if (message.get(INTENT) or {}).get(INTENT_NAME_KEY) != "nlu_fallback":
            # the next intent only if it is one the FallbackClassifier would have let through; else
            # the support request for that kind of trouble ("my ex keeps turning up at my work and
            # checks my phone, is that abuse?": not an emergency, still abuse), never a 0.14 goodbye
            sure = ranking and (ranking[0].get(PREDICTED_CONFIDENCE_KEY) or 0.0) >= FALLBACK_THRESHOLD
            kind = crisis_kind_of_intent((message.get(INTENT) or {}).get(INTENT_NAME_KEY) or "")
            message.set(
                INTENT,
                ranking[0]
                if sure
                else _intent(SUPPORT_FOR_KIND.get(kind or "", "nlu_fallback"), FALLBACK_THRESHOLD),
                add_to_output=True,
            )
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)

    @staticmethod
    def _support_intent(signals: Signals) -> str:
        return AUDIENCE_INTENTS[signals.audience] if signals.audience else "request_support"

    @staticmethod
    def _set_intent(message: Message, name: str, confidence: float) -> None:
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != name]
        message.set(INTENT, _intent(name, confidence), add_to_output=True)
        message.set(INTENT_RANKING_KEY, [_intent(name, confidence), *ranking], add_to_output=True)


def _top_intent(message: Message) -> Dict[str, Any]:
    """The classifier's own first choice, under any nlu_fallback the FallbackClassifier put on top."""
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != "nlu_fallback"]
    return dict(ranking[0]) if ranking else dict(message.get(INTENT) or {})


def _most_urgent(kinds: List[str]) -> str:
    return min(kinds, key=lambda k: CRISIS_KINDS.index(k) if k in CRISIS_KINDS else len(CRISIS_KINDS))
