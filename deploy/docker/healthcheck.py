"""The image's HEALTHCHECK: is the server this container runs answering?

The role comes from the container's command (PID 1's command line): the action server answers
GET /health on CJ_ACTIONS_PORT; the Rasa server is healthy once its REST channel answers
GET /webhooks/rest/ on CJ_RASA_PORT (the model is loaded by then; the Helm values use the same path
for readiness). Standard library only: it runs every few seconds.
"""

import os
import sys
import urllib.request


def role() -> str:
    if len(sys.argv) > 1:
        return sys.argv[1]
    try:
        with open("/proc/1/cmdline", "rb") as f:
            words = f.read().split(b"\0")
    except OSError:
        return "rasa"
    return "actions" if b"rasa_sdk" in words else "rasa"


def main() -> int:
    if role() == "actions":
        url = f"http://127.0.0.1:{os.environ.get('CJ_ACTIONS_PORT', '5055')}/health"
    else:
        url = f"http://127.0.0.1:{os.environ.get('CJ_RASA_PORT', '5005')}/webhooks/rest/"
    try:
        with urllib.request.urlopen(url, timeout=4) as reply:
            return 0 if reply.status == 200 else 1
    except OSError as error:
        print(f"{url}: {error}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
