"""Build the local spaCy pipeline that Rasa's SpacyNLP loads.

No pretrained pipeline can be downloaded on our machines, so we build a blank English
pipeline with a lookup lemmatizer (tables from the ``spacy-lookups-data`` package).
A deployment that can install ``en_core_web_md`` may point ``model`` in config.yml at it instead.
"""

from __future__ import annotations

import sys
from pathlib import Path

import spacy

from bot.settings import get_settings

DEFAULT_PATH = get_settings().spacy_pipeline


def build(path: Path = DEFAULT_PATH) -> Path:
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    path.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(path)
    return path


if __name__ == "__main__":
    target = build(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PATH)
    lemmas = [t.lemma_ for t in spacy.load(target)("she was released and needs housing")]
    print(f"spaCy pipeline written to {target} (lemmas: {' '.join(lemmas)})")
