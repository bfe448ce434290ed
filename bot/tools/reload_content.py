"""`make reload-content`: check the content files and have the running assistant serve them now.

1. Validates content/ (CJ_CONTENT_DIR) as `make content-check` does and prints the same messages.
2. Asks the action server on 127.0.0.1 (CJ_ACTIONS_PORT) to look at the files now, and prints what it
   did: "reloaded", "unchanged" (it already serves them: it looks by itself before every reply,
   at most every CJ_CONTENT_CHECK_SECONDS), or "refused" with the problems, while it keeps serving
   the last good content. Nothing is retrained.

Exit code 0 when the content is valid (and served, if an assistant runs), 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.request
import uuid
from typing import Any, Dict, Optional

from bot.content import ContentError, load_content
from bot.settings import get_settings

# The action server's action that looks at the files (actions/content_access.py); never in the domain.
RELOAD_ACTION = "action_reload_content"


def ask_action_server(port: int, timeout: float = 30) -> Optional[Dict[str, Any]]:
    """The action server's outcome of a look at the files, or None when none answers on this port."""
    call = {
        "next_action": RELOAD_ACTION,
        "sender_id": str(uuid.uuid4()),
        "domain": {},
        "tracker": {
            "sender_id": "reload-content",
            "slots": {},
            "latest_message": {},
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": None,
        },
    }
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhook",
        data=json.dumps(call).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            responses = json.loads(reply.read()).get("responses") or []
    except (urllib.error.URLError, OSError, ValueError):
        return None
    for response in responses:
        custom = response.get("custom") or {}
        if isinstance(custom.get("content"), dict):
            return custom["content"]
    return None


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--port",
        type=int,
        default=get_settings().actions_port,
        help="the action server's port on 127.0.0.1 (default: CJ_ACTIONS_PORT, 5055)",
    )
    args = parser.parse_args(argv)
    directory = get_settings().content_dir
    valid = True
    try:
        load_content(directory)
        print(f"Content in {directory} is valid.")
    except ContentError as error:
        valid = False
        print(error, file=sys.stderr)
    outcome = ask_action_server(args.port)
    if outcome is None:
        print(
            f"No assistant is running here (no action server answered on 127.0.0.1:{args.port}); "
            "it will use this content when it starts."
            if valid
            else f"No assistant is running here (no action server answered on 127.0.0.1:{args.port})."
        )
        return 0 if valid else 1
    since = f" (loaded {outcome['loaded_at']})" if outcome.get("loaded_at") else ""
    status = outcome.get("status")
    if status == "refused":
        print(
            "The running assistant refused this content and keeps serving the last good content"
            f"{since}. Fix these problems and run `make reload-content` again:",
            file=sys.stderr,
        )
        for problem in outcome.get("problems") or []:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    if status == "reloaded":
        print(f"The running assistant now serves this content{since}: the next reply uses it.")
    else:
        print(f"The running assistant already serves this content{since}.")
    return 0 if valid else 1


if __name__ == "__main__":
    sys.exit(main())
