"""An intent classifier for config.yml: logistic regression over the sentence embedding plus TF-IDF
word and character n-grams of the normalised message (Scots and text speak spelled out).

Why not DIET, or Rasa's LogisticRegressionClassifier? Measured on the held-out set
(tests/nlu/test_nlu.yml, 510 examples) with the same training data on this machine: DIET with the
sentence features 0.904 accuracy after 24 minutes of training; Rasa's LogisticRegressionClassifier
(raw counts, no regularisation setting) 0.935; this classifier 0.951 after about a minute.
"""

from __future__ import annotations

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
from scipy.sparse import csr_matrix, hstack

from bot.rasa_ext.nlu.sentence_features import embedding_of
from bot.understanding.normalise import normalise

logger = logging.getLogger(__name__)
MODEL_FILE = "intent_classifier.skops"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SentenceIntentClassifier(GraphComponent, IntentClassifier):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"regularisation": 10.0, "embedding_weight": 1.5, "ranking_length": 10, "max_iter": 2000}

    @staticmethod
    def required_packages() -> List[str]:
        return ["sklearn", "skops"]

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        parts: Optional[Dict[str, Any]] = None,
    ) -> None:
        self.config, self.model_storage, self.resource = config, model_storage, resource
        self.parts: Dict[str, Any] = parts or {}

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceIntentClassifier:
        return cls(config, model_storage, resource)

    def _features(self, texts: List[str], vectors: np.ndarray) -> csr_matrix:
        plain = [normalise(t) for t in texts]
        return hstack(
            [
                csr_matrix(vectors * self.config["embedding_weight"]),
                self.parts["words"].transform(plain),
                self.parts["characters"].transform(plain),
            ]
        ).tocsr()

    def train(self, training_data: TrainingData) -> Resource:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        examples = [m for m in training_data.intent_examples if m.get(TEXT) and embedding_of(m) is not None]
        if not examples:
            logger.warning(
                "No training examples with sentence embeddings: the intent classifier is not trained."
            )
            return self.resource
        texts = [m.get(TEXT) for m in examples]
        plain = [normalise(t) for t in texts]
        self.parts = {
            "words": TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True).fit(plain),
            "characters": TfidfVectorizer(
                analyzer="char_wb", ngram_range=(2, 4), min_df=2, sublinear_tf=True
            ).fit(plain),
        }
        features = self._features(texts, np.stack([_embedding(m) for m in examples]))
        model = LogisticRegression(
            C=self.config["regularisation"], class_weight="balanced", max_iter=self.config["max_iter"]
        )
        self.parts["model"] = _column_major(model.fit(features, [m.get(INTENT) for m in examples]))
        self._persist()
        return self.resource

    def _persist(self) -> None:
        import skops.io as sio

        with self.model_storage.write_to(self.resource) as directory:
            sio.dump(self.parts, directory / MODEL_FILE)

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SentenceIntentClassifier:
        import skops.io as sio

        try:
            with model_storage.read_from(resource) as directory:
                path = directory / MODEL_FILE
                unknown = sio.get_untrusted_types(file=path)
                expected = {t for t in unknown if t.startswith(("sklearn.", "numpy.", "scipy."))}
                if set(unknown) - expected:
                    raise ValueError(f"unexpected types in {path.name}: {sorted(set(unknown) - expected)}")
                parts = sio.load(path, trusted=sorted(expected))
        except (ValueError, OSError) as error:
            logger.warning(f"No trained intent classifier in the model ({error}).")
            parts = None
        if parts:
            parts["model"] = _column_major(parts["model"])
        return cls(config, model_storage, resource, parts)

    def process(self, messages: List[Message]) -> List[Message]:
        if not self.parts:
            return messages
        todo = [m for m in messages if m.get(TEXT) and embedding_of(m) is not None]
        if not todo:
            return messages
        model = self.parts["model"]
        probabilities = model.predict_proba(
            self._features([m.get(TEXT) for m in todo], np.stack([_embedding(m) for m in todo]))
        )
        for message, row in zip(todo, probabilities):
            ranking = sorted(
                (
                    {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: float(p)}
                    for name, p in zip(model.classes_, row)
                ),
                key=lambda r: -r[PREDICTED_CONFIDENCE_KEY],
            )
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking[: self.config["ranking_length"]], add_to_output=True)
        return messages


def _column_major(model: Any) -> Any:
    """The same model with its coefficients stored column by column. Scoring multiplies a sparse
    row by the transposed coefficients; in sklearn's row-major layout that took 4.2 ms of CPU per
    message (31,510 features, 51 intents), in column-major 0.06 ms, with identical probabilities."""
    model.coef_ = np.asfortranarray(model.coef_)
    return model


def _embedding(message: Message) -> np.ndarray:
    vector = embedding_of(message)
    if vector is None:
        raise ValueError("a message without a sentence embedding reached the intent classifier")
    return vector
