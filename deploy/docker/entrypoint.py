"""The container's entrypoint: `rasa` (the default), `actions`, or any other command.

    rasa      the Rasa server with exactly the command line of `bot.tools.serve` (channels from
              credentials.yml, endpoints built from the environment, no --enable-api), bound to
              CJ_HOST (0.0.0.0 in the image) on CJ_RASA_PORT (5005).
    actions   the action server (`python -m rasa_sdk --actions actions`) on CJ_ACTIONS_PORT (5055).
    run ...   Rasa's own command line, as Rasa's Helm chart passes it (`args: [run, --model, ...]`,
              with the chart's credentials.yml and endpoints.yml): `rasa run ...` through
              bot.tools.rasa_run where this version has it (it applies bot/rasa_ext/patches.py first).
    other     run as given (e.g. `python -m bot.tools.retention`), with the same store settings.

Store settings come from the environment, under the names Rasa's Helm chart uses, so one set of
variables serves docker-compose.yml and deploy/helm/values.yaml:
    DB_HOST, DB_PORT (5432), DB_USER, DB_PASSWORD, DB_DATABASE  -> CJ_DATABASE_URL (PostgreSQL)
    REDIS_HOST, REDIS_PORT (6379), REDIS_PASSWORD, REDIS_DB (1) -> CJ_REDIS_URL (lock store)
    ACTION_SERVER_URL (http://actions:5055/webhook)             -> action_endpoint, and the
                                                                   reply-deadline health probe
CJ_DATABASE_URL and CJ_REDIS_URL, when set, win. Passwords never go on a command line.
"""

from __future__ import annotations

import os
import sys
from typing import Dict, List, Mapping, Tuple
from urllib.parse import quote


def store_urls(env: Mapping[str, str]) -> Dict[str, str]:
    """CJ_DATABASE_URL and CJ_REDIS_URL from the Helm-style DB_* and REDIS_* parts (unless given)."""
    urls: Dict[str, str] = {}
    if not env.get("CJ_DATABASE_URL") and env.get("DB_HOST"):
        user = quote(env.get("DB_USER", "postgres"), safe="")
        password = quote(env.get("DB_PASSWORD", ""), safe="")
        auth = f"{user}:{password}@" if password else f"{user}@"
        urls["CJ_DATABASE_URL"] = (
            f"postgresql://{auth}{env['DB_HOST']}:{env.get('DB_PORT') or 5432}/"
            f"{env.get('DB_DATABASE') or 'postgres'}"
        )
    if not env.get("CJ_REDIS_URL") and env.get("REDIS_HOST"):
        password = quote(env.get("REDIS_PASSWORD", ""), safe="")
        auth = f":{password}@" if password else ""
        urls["CJ_REDIS_URL"] = (
            f"redis://{auth}{env['REDIS_HOST']}:{env.get('REDIS_PORT') or 6379}/{env.get('REDIS_DB') or 1}"
        )
    return urls


def rasa_command() -> Tuple[List[str], Dict[str, str]]:
    import yaml

    from bot.settings import PROJECT_ROOT, action_server_health_url
    from bot.tools.serve import Ports, endpoints_file, rasa_server_command, service_env

    ports = Ports()
    endpoints = endpoints_file(ports)
    action_url = os.environ.get("ACTION_SERVER_URL")
    if action_url:
        # bot.tools.serve points the action endpoint at localhost (both servers on one host); in a
        # container the action server is another host, as in the Helm chart's endpoints.yml.
        config = yaml.safe_load(endpoints.read_text())
        config["action_endpoint"]["url"] = action_url
        endpoints = PROJECT_ROOT / "build" / f"endpoints-{ports.rasa}.yml"
        endpoints.parent.mkdir(exist_ok=True)
        descriptor = os.open(endpoints, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # its owner only
        with os.fdopen(descriptor, "w") as out:
            yaml.safe_dump(config, out, sort_keys=False)
    env = service_env(ports)
    if action_url:
        env["CJ_ACTION_SERVER_HEALTH"] = action_server_health_url({"ACTION_SERVER_URL": action_url})
    return rasa_server_command(ports, endpoints), env


def actions_command() -> Tuple[List[str], Dict[str, str]]:
    from bot.tools import serve

    ports = serve.Ports()
    # The environment bot.tools.serve gives the action server (without the store settings), where
    # that version of serve.py has one.
    env = serve.action_server_env(ports) if hasattr(serve, "action_server_env") else dict(os.environ)
    return serve.action_server_command(ports), env


def main(argv: List[str]) -> int:
    os.environ.update(store_urls(os.environ))  # before bot.settings reads the environment
    role = argv[0] if argv else "rasa"
    if role == "rasa":
        command, env = rasa_command()
    elif role == "actions":
        command, env = actions_command()
    elif role in ("run", "shell", "test", "data", "train"):
        import importlib.util

        module = "bot.tools.rasa_run" if importlib.util.find_spec("bot.tools.rasa_run") else "rasa"
        command, env = [sys.executable, "-m", module, *argv], dict(os.environ)
    else:
        command, env = argv, dict(os.environ)
    from bot.settings import PROJECT_ROOT

    os.chdir(PROJECT_ROOT)
    sys.stdout.flush()
    os.execvpe(command[0], command, env)  # the server becomes PID 1 and gets the stop signal itself
    return 127


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
