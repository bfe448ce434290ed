"""The scale-out topology on one machine's loopback: what `deploy/scale_out.sh` starts.

    PostgreSQL (tracker store, shared)   127.0.0.1:55432   private cluster (see "Where files go")
    Redis (lock store, shared)           127.0.0.1:56379   no persistence
    action server                        127.0.0.1:6055    one process, scaled separately from Rasa
    Rasa server A / B                    127.0.0.1:6005 / 6006
    nginx                                127.0.0.1:8080    REST balanced, Socket.IO sticky (ip_hash)

Only Rasa's own mechanisms are used: the SQL tracker store and the Redis lock store, configured by
bot.tools.serve.endpoints_file() from CJ_DATABASE_URL and CJ_REDIS_URL; the command lines come from
bot.tools.serve as well. Every process is started in its own session so it outlives this command; PIDs
are kept in build/scale/*.pid and `stop` ends exactly those.

    python -m deploy.topology start|stop|status|clean

Where files go. PIDs and the logs of our own processes are in build/scale/. What PostgreSQL and
nginx's workers must reach themselves (the cluster's data directory and log, nginx's prefix with
its temp files and logs) lives in a folder outside the checkout, because when this runs as root
they run as other users (`postgres`, nginx's unprivileged workers) who cannot enter most home
directories, e.g. a clone in /root: CJ_SCALE_RUNTIME_DIR, by default
/var/tmp/cj-scale-<uid>-<hash of the checkout path> (one per checkout and user; kept across `stop`,
like the data of any database; `clean` removes it). build/scale/postgres and build/scale/nginx are
symbolic links to it, so the paths in the docs still lead to the files.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional

from bot.tools.serve import (
    Ports,
    action_server_command,
    action_server_env,
    endpoints_file,
    rasa_server_command,
    service_env,
)
from bot.tools.training import MODEL_PATH

PROJECT_ROOT = Path(__file__).resolve().parents[1]

STATE = PROJECT_ROOT / "build" / "scale"
RUNTIME = Path(
    os.environ.get("CJ_SCALE_RUNTIME_DIR")
    or f"/var/tmp/cj-scale-{os.geteuid()}-{hashlib.sha1(str(PROJECT_ROOT).encode()).hexdigest()[:10]}"
)
PG_DATA = RUNTIME / "postgres"
NGINX_PREFIX = RUNTIME / "nginx"
HOST = "127.0.0.1"
PG_PORT = int(os.environ.get("CJ_SCALE_PG_PORT", "55432"))
REDIS_PORT = int(os.environ.get("CJ_SCALE_REDIS_PORT", "56379"))
ACTIONS_PORT = int(os.environ.get("CJ_SCALE_ACTIONS_PORT", "6055"))
RASA_PORTS = tuple(int(p) for p in os.environ.get("CJ_SCALE_RASA_PORTS", "6005 6006").split())
NGINX_PORT = int(os.environ.get("CJ_SCALE_NGINX_PORT", "8080"))
DB_NAME, DB_USER, DB_PASSWORD = "cj", "cj", "cj-scale-local"  # loopback-only test cluster
DATABASE_URL = f"postgresql://{DB_USER}:{DB_PASSWORD}@{HOST}:{PG_PORT}/{DB_NAME}"
REDIS_URL = f"redis://{HOST}:{REDIS_PORT}/0"
NGINX_ORIGIN = f"http://{HOST}:{NGINX_PORT}"
TEMPLATE = PROJECT_ROOT / "deploy" / "nginx.conf.template"


def log(message: str) -> None:
    print(f"[scale] {message}", flush=True)


# ---------------------------------------------------------------- helpers


def _pid_file(name: str) -> Path:
    # nginx writes its own, at @PREFIX@/../nginx.pid (deploy/nginx.conf.template)
    return NGINX_PREFIX.parent / "nginx.pid" if name == "nginx" else STATE / f"{name}.pid"


def prepare_runtime() -> None:
    """The folder outside the checkout for what the service users must reach (see the docstring):
    created by and for this user, readable and enterable by the others; build/scale links to it."""
    RUNTIME.mkdir(mode=0o755, parents=True, exist_ok=True)
    info = RUNTIME.lstat()
    if RUNTIME.is_symlink() or info.st_uid != os.geteuid():
        raise RuntimeError(
            f"{RUNTIME} belongs to another user or is a link: set CJ_SCALE_RUNTIME_DIR to a folder of yours"
        )
    RUNTIME.chmod(0o755)
    STATE.mkdir(parents=True, exist_ok=True)
    for name, target in (("postgres", PG_DATA), ("nginx", NGINX_PREFIX)):
        link = STATE / name
        if link.is_symlink() and os.readlink(link) == str(target):
            continue
        if link.is_symlink() or link.is_file():
            link.unlink()
        elif link.is_dir():  # the files of an older version of this script, inside the checkout: keep them
            if target.exists():
                shutil.rmtree(link)
            else:
                shutil.move(str(link), str(target))
        link.symlink_to(target, target_is_directory=True)


def _read_pid(name: str) -> Optional[int]:
    path = _pid_file(name)
    try:
        pid = int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pid if _alive(pid) else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (exited, not yet reaped) is not alive
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][0] != "Z"
    except OSError:
        return True


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as reply:
            return reply.status == 200
    except OSError:
        return False


def _wait(check, what: str, timeout: float, pid_names: List[str] = ()) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        for name in pid_names:
            if _read_pid(name) is None:
                raise RuntimeError(f"{what}: process {name} exited; see {STATE / 'logs' / (name + '.log')}")
        time.sleep(0.5)
    raise TimeoutError(f"{what} not ready after {timeout:.0f} s")


def _as_postgres_user() -> List[str]:
    """initdb and postgres refuse to run as root: run them as the `postgres` user then."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def _pg_bin(tool: str) -> str:
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{tool}"), key=lambda p: int(p.split("/")[4]))
    if not candidates:
        raise FileNotFoundError(
            f"{tool} not found under /usr/lib/postgresql/*/bin: install the postgresql package"
        )
    return candidates[-1]


def _spawn(name: str, command: List[str], env: Optional[Dict[str, str]] = None) -> int:
    logs = STATE / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    with open(logs / f"{name}.log", "a") as output:
        process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    _pid_file(name).write_text(f"{process.pid}\n")
    return process.pid


def rasa_env(port: int) -> Dict[str, str]:
    """The environment of Rasa instance `port`: shared stores, allowed origins, proxy awareness."""
    os.environ["CJ_DATABASE_URL"] = DATABASE_URL
    os.environ["CJ_REDIS_URL"] = REDIS_URL
    origins = os.environ.get(
        "CJ_SCALE_ALLOWED_ORIGINS",
        f"{NGINX_ORIGIN} http://localhost:{NGINX_PORT} http://{HOST}:{port} http://localhost:{port}",
    )
    os.environ["CJ_ALLOWED_ORIGINS"] = origins
    env = service_env(Ports(rasa=port, actions=ACTIONS_PORT, host=HOST))
    # nginx adds X-Forwarded-For; with one trusted proxy Sanic reports the visitor's address, so the
    # REST rate limit counts per visitor rather than per nginx.
    env.setdefault("SANIC_PROXIES_COUNT", "1")
    return env


# ---------------------------------------------------------------- services


def start_postgres() -> None:
    data = PG_DATA
    if _read_pid("postgres") and _pg_ready():
        log(f"PostgreSQL already running on {HOST}:{PG_PORT}")
        return
    user = _as_postgres_user()
    if not (data / "PG_VERSION").exists():
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir(mode=0o700, parents=True)
        pwfile = RUNTIME / "pg.pw"
        pwfile.write_text(DB_PASSWORD + "\n")
        if user:
            shutil.chown(data, "postgres", "postgres")
            shutil.chown(pwfile, "postgres", "postgres")
        log(f"initdb (private cluster in {data})")
        subprocess.run(
            user
            + [
                _pg_bin("initdb"),
                "-D",
                str(data),
                "-U",
                DB_USER,
                f"--pwfile={pwfile}",
                "-A",
                "scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            cwd=RUNTIME,
        )
        pwfile.unlink()
    (RUNTIME / "logs").mkdir(exist_ok=True)
    logfile = RUNTIME / "logs" / "postgres.log"
    logfile.touch()
    if user:
        shutil.chown(logfile, "postgres", "postgres")
    (STATE / "logs").mkdir(parents=True, exist_ok=True)
    link = STATE / "logs" / "postgres.log"
    if not link.is_symlink():
        link.unlink(missing_ok=True)
        link.symlink_to(logfile)
    options = (
        f"-p {PG_PORT} -c listen_addresses={HOST} -c unix_socket_directories='' "
        "-c max_connections=200 -c fsync=on"
    )
    subprocess.run(
        user
        + [_pg_bin("pg_ctl"), "-D", str(data), "-l", str(logfile), "-o", options, "-w", "-t", "60", "start"],
        check=True,
        stdout=subprocess.DEVNULL,
        cwd=RUNTIME,
    )
    pid = int((data / "postmaster.pid").read_text().split()[0])
    _pid_file("postgres").write_text(f"{pid}\n")
    _create_database()
    log(f"PostgreSQL ready on {HOST}:{PG_PORT} (database {DB_NAME})")


def _pg_connect(dbname: str):
    import psycopg2

    return psycopg2.connect(
        host=HOST, port=PG_PORT, user=DB_USER, password=DB_PASSWORD, dbname=dbname, connect_timeout=3
    )


def _pg_ready() -> bool:
    try:
        _pg_connect("postgres").close()
        return True
    except Exception:
        return False


def _create_database() -> None:
    connection = _pg_connect("postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB_NAME,))
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{DB_NAME}" OWNER "{DB_USER}"')
    connection.close()


def start_redis() -> None:
    if _read_pid("redis"):
        log(f"Redis already running on {HOST}:{REDIS_PORT}")
        return
    redis_server = shutil.which("redis-server") or "/usr/bin/redis-server"
    _spawn(
        "redis",
        [
            redis_server,
            "--bind",
            HOST,
            "--port",
            str(REDIS_PORT),
            "--save",
            "",
            "--appendonly",
            "no",
            "--protected-mode",
            "yes",
            "--daemonize",
            "no",
        ],
    )

    def ready() -> bool:
        import redis

        try:
            return redis.Redis(host=HOST, port=REDIS_PORT, socket_timeout=1).ping()
        except Exception:
            return False

    _wait(ready, "Redis", 30, ["redis"])
    log(f"Redis ready on {HOST}:{REDIS_PORT}")


def start_actions() -> None:
    if _read_pid("actions"):
        log(f"action server already running on {HOST}:{ACTIONS_PORT}")
        return
    ports = Ports(rasa=RASA_PORTS[0], actions=ACTIONS_PORT, host=HOST)
    _spawn("actions", action_server_command(ports), action_server_env(ports))


def start_rasa(port: int) -> None:
    name = f"rasa-{port}"
    if _read_pid(name):
        log(f"Rasa server already running on {HOST}:{port}")
        return
    env = rasa_env(port)
    ports = Ports(rasa=port, actions=ACTIONS_PORT, host=HOST)
    _spawn(name, rasa_server_command(ports, endpoints_file(ports)), env)


def render_nginx_conf() -> Path:
    prefix = NGINX_PREFIX
    for sub in ("logs", "tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    for sub in prefix.joinpath("tmp").iterdir():  # workers run as an unprivileged user when started as root
        sub.chmod(0o777)
    servers = "\n".join(f"        server {HOST}:{port} max_fails=3 fail_timeout=10s;" for port in RASA_PORTS)
    text = (
        TEMPLATE.read_text()
        .replace("@PREFIX@", str(prefix))
        .replace("@LISTEN@", f"{HOST}:{NGINX_PORT}")
        .replace("@RASA_SERVERS@", servers.strip())
    )
    conf = prefix / "nginx.conf"
    conf.write_text(text)
    return conf


def _nginx(args: List[str]) -> subprocess.CompletedProcess:
    prefix = NGINX_PREFIX
    return subprocess.run(
        [
            shutil.which("nginx") or "/usr/sbin/nginx",
            "-p",
            str(prefix),
            "-c",
            str(prefix / "nginx.conf"),
            "-e",
            str(prefix / "logs" / "error.log"),
        ]
        + args,
        capture_output=True,
        text=True,
        cwd=RUNTIME,
    )


def start_nginx() -> None:
    conf = render_nginx_conf()
    check = _nginx(["-t"])
    if check.returncode != 0:
        raise RuntimeError(f"nginx -t failed for {conf}:\n{check.stderr}")
    if _read_pid("nginx"):
        _nginx(["-s", "reload"])
        log(f"nginx reloaded on {HOST}:{NGINX_PORT}")
        return
    result = _nginx([])  # daemonizes; writes its pid file next to its prefix (pid directive in the conf)
    if result.returncode != 0:
        raise RuntimeError(f"nginx did not start:\n{result.stderr}")
    _wait(lambda: _http_ok(f"http://{HOST}:{NGINX_PORT}/nginx-health"), "nginx", 20)
    log(f"nginx ready on {NGINX_ORIGIN}")


# ---------------------------------------------------------------- commands

SERVICE_ORDER = ["nginx"] + [f"rasa-{p}" for p in RASA_PORTS] + ["actions", "redis", "postgres"]


def start(timeout: float = 300) -> float:
    if not MODEL_PATH.exists():
        raise FileNotFoundError(f"No model at {MODEL_PATH}: run `make train` first")
    started = time.monotonic()
    prepare_runtime()
    (PROJECT_ROOT / "storage").mkdir(exist_ok=True)
    start_postgres()
    start_redis()
    start_actions()
    for port in RASA_PORTS:
        start_rasa(port)
    log(
        f"waiting for the action server and {len(RASA_PORTS)} Rasa servers (each loads the model; about a minute) ..."
    )
    _wait(lambda: _http_ok(f"http://{HOST}:{ACTIONS_PORT}/health"), "action server", timeout, ["actions"])
    for port in RASA_PORTS:
        _wait(
            lambda port=port: _http_ok(f"http://{HOST}:{port}/webhooks/rest/"),
            f"Rasa server :{port}",
            max(10.0, timeout - (time.monotonic() - started)),
            [f"rasa-{port}"],
        )
        log(f"Rasa server ready on http://{HOST}:{port}")
    start_nginx()
    seconds = time.monotonic() - started
    log(
        f"topology ready in {seconds:.0f} s: {NGINX_ORIGIN}/webhooks/rest/webhook  (Socket.IO at {NGINX_ORIGIN}/socket.io/)"
    )
    return seconds


def _stop_pid(name: str, pid: int, sig: int = signal.SIGTERM, wait: float = 20) -> None:
    try:
        os.killpg(pid, sig) if name.startswith(("rasa-", "actions", "redis")) else os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.2)
    if _alive(pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def stop() -> None:
    for name in SERVICE_ORDER:
        pid = _read_pid(name)
        if name == "nginx" and pid:
            _nginx(["-s", "quit"])
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and _alive(pid):
                time.sleep(0.2)
            if _alive(pid):
                _stop_pid(name, pid)
        elif name == "postgres" and pid:
            subprocess.run(
                _as_postgres_user() + [_pg_bin("pg_ctl"), "-D", str(PG_DATA), "-m", "fast", "-w", "stop"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd=RUNTIME if RUNTIME.is_dir() else "/",
            )
            if _alive(pid):
                _stop_pid(name, pid)
        elif pid:
            # SIGINT lets Sanic and rasa_sdk shut down cleanly, as bot.tools.serve.Assistant.stop does.
            _stop_pid(name, pid, signal.SIGINT if name.startswith(("rasa-", "actions")) else signal.SIGTERM)
        if pid:
            log(f"stopped {name} (pid {pid})")
        _pid_file(name).unlink(missing_ok=True)


def clean() -> None:
    """Stop, then remove the PostgreSQL cluster, nginx's files and build/scale/."""
    stop()
    if RUNTIME.is_dir() and not RUNTIME.is_symlink() and RUNTIME.lstat().st_uid == os.geteuid():
        shutil.rmtree(RUNTIME)
        log(f"removed {RUNTIME}")
    shutil.rmtree(STATE, ignore_errors=True)
    log(f"removed {STATE}")


def status() -> bool:
    checks = {
        "postgres": lambda: _pg_ready(),
        "redis": lambda: _read_pid("redis") is not None,
        "actions": lambda: _http_ok(f"http://{HOST}:{ACTIONS_PORT}/health"),
        "nginx": lambda: _http_ok(f"http://{HOST}:{NGINX_PORT}/nginx-health"),
        **{f"rasa-{p}": (lambda p=p: _http_ok(f"http://{HOST}:{p}/webhooks/rest/")) for p in RASA_PORTS},
    }
    everything = True
    for name in reversed(SERVICE_ORDER):
        pid = _read_pid(name)
        healthy = bool(pid) and checks[name]()
        everything &= healthy
        print(f"{name:12} {'up' if healthy else 'DOWN':5} pid={pid or '-'}")
    return everything


def main(argv: List[str]) -> int:
    command = argv[0] if argv else "status"
    if command == "start":
        try:
            start()
        except Exception as error:  # leave nothing half-started behind
            print(f"[scale] start failed: {error}", file=sys.stderr)
            stop()
            return 1
        return 0
    if command == "stop":
        stop()
        return 0
    if command == "status":
        return 0 if status() else 3
    if command == "clean":
        clean()
        return 0
    print("usage: python -m deploy.topology start|stop|status|clean", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
