"""Rasa's own command line with the project's start-up step first.

`python -m bot.tools.rasa_run run --model ... --credentials ... --endpoints ...` is `rasa run ...`
after `bot.rasa_ext.patches.apply()`: the fix is applied because this process starts Rasa, not
because some module happened to be imported. `bot.tools.serve` and the Helm values start Rasa this way.
"""

from __future__ import annotations

# Before Rasa and TensorFlow: on import, skops looks up the module of each of its ~750 trusted types
# by scanning every module already imported. With Rasa loaded first that took 6.9 s instead of
# 2.1 s (bench/startup_notes.md); the intent classifier loads its model with skops.
import skops.io  # noqa: F401

from bot.rasa_ext import patches
from bot.tools import quiet_start


def main() -> None:
    patches.apply()  # before Rasa sets up logging: a warning (not applied) still reaches stderr
    quiet_start.install()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
