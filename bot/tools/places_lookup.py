"""Write Rasa NLU lookup tables and synonyms for places from content/places.yml.

The generated file (data/nlu/places.yml) is committed so that the training data is
complete on its own; ``--check`` fails when it is out of date with the content.
"""

from __future__ import annotations

import sys

import yaml

from bot.content import load_content
from bot.settings import PROJECT_ROOT

OUTPUT = PROJECT_ROOT / "data" / "nlu" / "places.yml"
HEADER = "# Generated from content/places.yml by `python -m bot.tools.places_lookup`. Do not edit by hand.\n"


class _LiteralDumper(yaml.SafeDumper):
    pass


_LiteralDumper.add_representer(
    str,
    lambda dumper, value: dumper.represent_scalar(
        "tag:yaml.org,2002:str", value, style="|" if "\n" in value else None
    ),
)


def render() -> str:
    content = load_content()
    names = sorted({p.name for p in content.places} | {a.name for a in content.council_areas})
    variants = sorted(
        {v for p in content.places for v in p.variants}
        | {v for a in content.council_areas for v in a.variants}
    )
    synonyms = []
    for entry in sorted(content.places, key=lambda e: e.name):
        if entry.variants:
            synonyms.append({"synonym": entry.name, "examples": "".join(f"- {v}\n" for v in entry.variants)})
    nlu = [{"lookup": "place", "examples": "".join(f"- {n}\n" for n in names + variants)}, *synonyms]
    return HEADER + yaml.dump(
        {"version": "3.1", "nlu": nlu}, Dumper=_LiteralDumper, sort_keys=False, allow_unicode=True, width=1000
    )


if __name__ == "__main__":
    text = render()
    if "--check" in sys.argv:
        if not OUTPUT.exists() or OUTPUT.read_text(encoding="utf-8") != text:
            sys.exit(
                f"{OUTPUT.relative_to(PROJECT_ROOT)} is out of date with content/places.yml: run `make places`"
            )
        print(f"{OUTPUT.relative_to(PROJECT_ROOT)} is up to date")
    else:
        OUTPUT.write_text(text, encoding="utf-8")
        print(f"wrote {OUTPUT.relative_to(PROJECT_ROOT)}")
