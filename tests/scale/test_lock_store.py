"""The Redis lock store hands out each ticket once, even to two Rasa instances at the same instant."""

import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from rasa.utils.endpoints import EndpointConfig

from bot.rasa_ext.lock_store import AtomicRedisLockStore

PORT = 56391


@pytest.fixture(scope="module")
def redis_server():
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail(
            "redis-server is missing: run `bash deploy/scale_out.sh start` once or `apt-get install redis-server`"
        )
    server = subprocess.Popen(
        [binary, "--port", str(PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    yield
    server.terminate()
    server.wait()


@pytest.mark.scale
def test_two_instances_never_get_the_same_ticket(redis_server):
    stores = [AtomicRedisLockStore(EndpointConfig(url="127.0.0.1", port=PORT, db=3)) for _ in range(2)]
    for round_number in range(20):
        conversation = f"race-{round_number}"
        with ThreadPoolExecutor(max_workers=8) as pool:
            tickets = list(pool.map(lambda i, c=conversation: stores[i % 2].issue_ticket(c), range(8)))
        assert sorted(tickets) == list(range(8))
        for ticket in tickets:
            stores[ticket % 2].cleanup(conversation, ticket)
        assert stores[0].get_lock(conversation) is None
