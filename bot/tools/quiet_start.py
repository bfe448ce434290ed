"""Known deprecation warnings from third-party packages, hidden when the assistant starts or trains.

They come from code we do not own (Rasa 3.6's pins of click, typer, spaCy, pyparsing, setuptools,
SQLAlchemy) and say nothing a person starting the assistant can act on. Only these modules' own
DeprecationWarnings (and subclasses) are hidden: anything else, and everything in the tests, still shows.
"""

from __future__ import annotations

import contextlib
import importlib
import re
import warnings

# The module each warning is attributed to.
THIRD_PARTY_MODULES = (
    "pkg_resources",
    "apscheduler",  # imports pkg_resources
    "rasa.shared.utils.validation",  # imports pkg_resources
    "rasa.core.tracker_store",  # SQLAlchemy's URL()
    "sanic_cors.extension",  # distutils versions
    "matplotlib._mathtext",  # pyparsing's old names
    "matplotlib.fontconfig_pattern",
    "packaging.markers",
    "packaging.requirements",
    "typer",  # click 8.2's deprecations
    "typer.completion",
    "spacy.cli._util",
    "tensorflow.lite.python.util",  # jax.xla_computation
)


# Imported by Rasa anyway while it loads a model (spaCy and Rasa's plotting utilities).
EARLY_IMPORTS = ("packaging.requirements", "matplotlib", "matplotlib.pyplot")


def install() -> None:
    """Hide the known warnings in this process; call before importing Rasa.

    Sanic puts its own "once" filter for every DeprecationWarning first in the list when it is
    imported (sanic/app.py), which would win over ours (and over PYTHONWARNINGS): import it first.
    """
    import sanic.app  # noqa: F401

    pattern = "|".join(re.escape(module) for module in THIRD_PARTY_MODULES)
    warnings.filterwarnings("ignore", category=DeprecationWarning, module=rf"(?:{pattern})\Z")
    # Rasa later puts "once" for every UserWarning first, and pyparsing's deprecation warnings are
    # UserWarnings too: import the modules that raise them now, while our filters come first.
    for module in EARLY_IMPORTS:
        with contextlib.suppress(ImportError):
            importlib.import_module(module)
