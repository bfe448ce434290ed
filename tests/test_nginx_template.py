"""deploy/nginx.conf.template: limits per visitor, HSTS, no version banner, shortened addresses in the
access log; and, where nginx is installed, a rendered copy passes `nginx -t`."""

import re
import shutil
import subprocess

import pytest

from bot.settings import PROJECT_ROOT

TEMPLATE = (PROJECT_ROOT / "deploy" / "nginx.conf.template").read_text()


def directives(text: str) -> str:
    return "\n".join(line.split("#")[0] for line in text.splitlines())


def test_limits_per_visitor_address_on_every_route_to_rasa():
    config = directives(TEMPLATE)
    assert re.search(r"limit_req_zone\s+\$binary_remote_addr\s+zone=cj_requests:\S+\s+rate=\d+r/s;", config)
    assert re.search(r"limit_conn_zone\s+\$binary_remote_addr\s+zone=cj_connections:\S+;", config)
    assert "limit_req_status  429;" in config and "limit_conn_status 429;" in config
    assert re.search(r"limit_req_zone\s+\$binary_remote_addr\s+zone=cj_sockets:\S+\s+rate=\d+r/s;", config)
    for location, zone in (("/socket.io/", "cj_sockets"), ("/webhooks/rest/", "cj_requests")):
        block = config.split(f"location {location}")[1].split("}")[0]
        assert f"limit_req zone={zone}" in block, location
    assert re.search(r"limit_conn cj_connections \d+;", config)


def test_hsts_and_no_version_banner():
    config = directives(TEMPLATE)
    assert "server_tokens off;" in config
    assert re.search(
        r'add_header Strict-Transport-Security "max-age=\d{8,}; includeSubDomains" always;', config
    )
    root = config.split("location = / {")[1].split("}")[0]
    assert "return 302 /site/;" in root  # not Rasa's "Hello from Rasa: <version>"


def test_the_access_log_keeps_no_full_visitor_address():
    config = directives(TEMPLATE)
    log_format = config.split("log_format upstreams")[1].split(";")[0]
    assert "$remote_addr" not in log_format and "$visitor_network" in log_format


@pytest.mark.skipif(
    shutil.which("nginx") is None and not shutil.os.path.exists("/usr/sbin/nginx"),
    reason="nginx is not installed (make test-scale installs it)",
)
def test_the_rendered_template_is_valid_nginx(tmp_path):
    for folder in ("logs", "tmp"):
        (tmp_path / folder).mkdir()
    config = (
        TEMPLATE.replace("@PREFIX@", str(tmp_path))
        .replace("@LISTEN@", "127.0.0.1:18080")
        .replace("@RASA_SERVERS@", "server 127.0.0.1:16005;")
    )
    (tmp_path / "nginx.conf").write_text(config)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
