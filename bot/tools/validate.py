"""`rasa data validate --fail-on-warnings`, with one difference: responses the actions read and send
(listed under `actions:` in domain.yml) need no rule of their own. Rasa's validator warns about every
response no story or rule uses; ours are used by action_answer and action_crisis, on purpose, so that
all fixed wording lives in domain.yml where this check reads it. Any other warning fails.
"""

from __future__ import annotations

import re
import sys
import warnings
from typing import List

from rasa.shared.importers.importer import TrainingDataImporter
from rasa.utils.common import EXPECTED_WARNINGS
from rasa.validator import Validator

from bot.settings import PROJECT_ROOT

UNUSED_RESPONSE = re.compile(r"The utterance '(?P<name>utter_\w+)' is not used in any story or rule\.")


def problems() -> List[str]:
    importer = TrainingDataImporter.load_from_config(
        str(PROJECT_ROOT / "config.yml"), str(PROJECT_ROOT / "domain.yml"), [str(PROJECT_ROOT / "data")]
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        validator = Validator.from_importer(importer)
        if importer.get_domain().is_empty():
            return ["domain.yml is empty"]
        checks = [
            validator.verify_domain_validity(),
            validator.verify_actions_in_stories_rules(),
            validator.verify_forms_in_stories_rules(),
            validator.verify_form_slots(),
            validator.verify_slot_mappings(),
            validator.verify_nlu(True),
            validator.verify_story_structure(True),
        ]
    read_by_actions = set(validator.domain.user_actions)
    found = [] if all(checks) else ["Rasa's validator reported errors (see above)"]
    for warning in caught:
        if not issubclass(warning.category, UserWarning) or "rasa" not in warning.filename:
            continue
        message = str(warning.message)
        if any(
            issubclass(warning.category, kind) and re.match(pattern, message)
            for kind, pattern in EXPECTED_WARNINGS
        ):
            continue  # warnings Rasa itself filters out in `rasa data validate`
        unused = UNUSED_RESPONSE.search(message)
        if unused and unused["name"] in read_by_actions:
            continue
        found.append(message)
    return found


if __name__ == "__main__":
    found = problems()
    for problem in found:
        print(f"  - {problem}", file=sys.stderr)
    if found:
        sys.exit(f"Validation failed: {len(found)} problem(s).")
    print("Training data and domain are valid (no warnings).")
