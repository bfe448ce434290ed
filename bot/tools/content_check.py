"""`python -m bot.tools.content_check`: validate all content and print what it holds (exit 1 on any problem)."""
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
    f"{len(content.crisis_contacts)} crisis contacts, {len(content.places)} places in {len(content.council_areas)} council areas."
)
