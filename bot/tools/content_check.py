"""`python -m bot.tools.content_check`: validate all content and print what it holds (exit 1 on any problem).

It fails on anything invalid, including an answer or route without a next step (a phone number or a
link). Dates and the age of sources are reported by `make content-report`; they never fail the build."""

import sys

from bot.content import ContentError, load_content

try:
    content = load_content()
except ContentError as error:
    print(error, file=sys.stderr)
    sys.exit(1)
answers = len(content.topics) + len(content.stages) + sum(len(p.answers) for p in content.partnerships)
print(
    f"Content is valid: {answers} answers ({len(content.topics)} topics, {len(content.stages)} justice-journey stages, "
    f"{answers - len(content.topics) - len(content.stages)} partnership answers), "
    f"{len(content.statutory_partners) + len(content.local_partners)} partners, {len(content.services)} support services, "
    f"{len(content.routes)} routes, {len(content.prisons)} prisons, {len(content.terms)} glossary terms, "
    f"{len(content.crisis_contacts)} crisis contacts, {len(content.places)} places in {len(content.council_areas)} council areas."
)
