"""``python -m bench.accounts_login``: what a sign-in costs on this machine.

Measures, in process (SQLite, no router): one argon2id verification at the configured
parameters (the floor of the cost), ES256 signing of an access token, and ``tokenCreate``
end to end — sequentially and with 40 concurrent requests. Prints the figures and the ratio of a
whole sign-in to its argon2 part. Nothing here is asserted; tests never check timings.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime

from shared.auth import ANONYMOUS
from shared.bus.memory import InMemoryEventBus
from shared.settings import load_settings
from subgraphs.accounts.app import create_subgraph, runtime_of
from subgraphs.accounts.domain.passwords import Passwords
from subgraphs.accounts.domain.tokens import AccessClaims, generate_key, sign_access_token
from tests.graphql_client import SubgraphClient

LOGIN = """
mutation { tokenCreate(input: {email: "bench@example.com", password: "bench password 1"}) {
  accessToken userErrors { code } } }
"""
REGISTER = """
mutation { accountRegister(input: {email: "bench@example.com", password: "bench password 1"}) {
  userErrors { code } } }
"""


def _per_call_ms(fn: object, rounds: int) -> float:
    assert callable(fn)
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


async def main() -> None:
    passwords = Passwords()
    stored = passwords.hash("bench password 1")
    argon2_ms = _per_call_ms(lambda: passwords.verify(stored, "bench password 1"), 20)
    key = generate_key()
    claims = AccessClaims(subject="u1", typ="customer", session_id="s1", mfa=False)
    now = datetime.now(UTC)
    sign_ms = _per_call_ms(
        lambda: sign_access_token(claims, kid=key.kid, private_pem=key.private_pem, now=now), 200
    )

    with tempfile.TemporaryDirectory() as data_dir:
        settings = load_settings({"AGORA_ENV": "test", "AGORA_DATA_DIR": data_dir})
        app = create_subgraph(settings, InMemoryEventBus())
        await app.infra.migrate()
        runtime_of(app).ip_failures.limit = 10**9
        client = SubgraphClient(app, principal=ANONYMOUS)
        await client.execute(REGISTER)
        await client.execute(LOGIN)  # warm: signing key, caches

        sequential = []
        for _ in range(20):
            start = time.perf_counter()
            result = await client.execute(LOGIN)
            assert result["data"]["tokenCreate"]["accessToken"], result
            sequential.append((time.perf_counter() - start) * 1000)
        login_ms = statistics.median(sequential)

        concurrent_n = 40
        start = time.perf_counter()
        await asyncio.gather(*[client.execute(LOGIN) for _ in range(concurrent_n)])
        elapsed = time.perf_counter() - start
        await client.aclose()
        await app.infra.database.dispose()

    print(
        f"argon2id verify (m={passwords.parameters.memory_kib} KiB, t={passwords.parameters.time_cost}, p=1): {argon2_ms:.1f} ms"
    )
    print(f"ES256 access token signing: {sign_ms:.3f} ms")
    print(f"tokenCreate end to end, sequential (median of 20): {login_ms:.1f} ms")
    print(f"tokenCreate, {concurrent_n} concurrent requests: {concurrent_n / elapsed:.1f} logins/s")
    print(f"ratio sign-in / argon2 verify: {login_ms / argon2_ms:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
