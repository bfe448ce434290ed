"""`make shell`: talk to the assistant in a terminal, as staff checking answers do.

Rasa's `rasa shell` serves its stock REST channel (no redaction, caps or rate limit) on every
interface and writes to the production store. This runs the same console client against our
guarded REST channel (`GuardedCmdlineInput`), bound to 127.0.0.1, with a store of its own
(storage/shell.db) and a new random conversation id each time. The action server must be running
(scripts/with_action_server.sh starts it).
"""
from __future__ import annotations

import argparse
import logging
import sys
import uuid

from bot.rasa_ext import patches
from bot.settings import get_settings
from bot.tools.serve import Ports, endpoints_file

SHELL_STORE = "storage/shell.db"
SHELL_CHANNEL = "bot.rasa_ext.channels.guarded.GuardedCmdlineInput"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=get_settings().rasa_port + 1,
                        help="port for the shell's own Rasa server on 127.0.0.1 (default: CJ_RASA_PORT + 1)")
    args = parser.parse_args()
    settings = get_settings()
    if not settings.model_path.exists():
        print(f"No model at {settings.model_path}: run `make train` first.", file=sys.stderr)
        return 1
    patches.apply()
    from rasa.core.run import serve_application
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    # As `rasa shell` does: warnings only, so the terminal shows the conversation, not debug lines.
    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)

    ports = Ports(rasa=args.port, actions=settings.actions_port, host="127.0.0.1")
    endpoints = AvailableEndpoints.read_endpoints(str(endpoints_file(ports, sqlite_store=SHELL_STORE)))
    serve_application(model_path=str(settings.model_path), channel=SHELL_CHANNEL, interface="127.0.0.1",
                      port=ports.rasa, enable_api=False, endpoints=endpoints, conversation_id=str(uuid.uuid4()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
