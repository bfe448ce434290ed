"""A dense featurizer for config.yml: the sentence embedding of each message (all-MiniLM-L6-v2,
run by bot.understanding.sentence_encoder), as sentence-level features for the intent classifier and as
`cj_embedding` for the crisis classifier in support_signals.py.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Dict, List, Optional

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.settings import PROJECT_ROOT
from bot.understanding.sentence_encoder import SentenceEncoder, load_encoder

logger = logging.getLogger(__name__)
EMBEDDING = "cj_embedding"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEmbeddingFeaturizer(DenseFeaturizer, GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {**DenseFeaturizer.get_default_config(), "model": "build/minilm"}

    @staticmethod
    def required_packages() -> List[str]:
        return ["onnxruntime"]

    def __init__(self, config: Dict[str, Any], name: str) -> None:
        super().__init__(name, config)
        model = Path(config["model"])
        self.model_dir = model if model.is_absolute() else PROJECT_ROOT / model
        self.encoder: SentenceEncoder = load_encoder(str(self.model_dir))

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEmbeddingFeaturizer:
        return cls(config, execution_context.node_name)

    def _featurize(self, messages: List[Message]) -> None:
        todo = [m for m in messages if m.get(TEXT) and m.get(EMBEDDING) is None]
        if not todo:
            return
        vectors = self.encoder.encode([m.get(TEXT) for m in todo])
        for message, vector in zip(todo, vectors):
            message.set(EMBEDDING, vector)
            self.add_features_to_message(None, vector.reshape(1, -1), TEXT, message)

    def process(self, messages: List[Message]) -> List[Message]:
        self._featurize(messages)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize(training_data.training_examples)
        return training_data

    @classmethod
    def validate_config(cls, config: Dict[str, Any]) -> None:
        pass


def embedding_of(message: Message) -> Optional[np.ndarray]:
    vector = message.get(EMBEDDING)
    return None if vector is None else np.asarray(vector, dtype=np.float32)
