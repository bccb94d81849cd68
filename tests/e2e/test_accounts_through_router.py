"""A newcomer's whole account life through the real router: register, sign in, addresses,
password reset from the local mail outbox, GDPR export and deletion — and the zero-trust edges
(another customer gets nothing, a direct unsigned call to a subgraph is refused)."""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from subgraphs.accounts.adapters.mailer import read_outbox
from subgraphs.launcher import Platform
from tests.e2e.conftest import login

REGISTER = """
mutation Register($input: AccountRegisterInput!) {
  accountRegister(input: $input) { userErrors { field code } }
}
"""
ME = "{ me { id email firstName addresses { id city postalCode countryCode } } }"
ADDRESS_CREATE = """
mutation Add($input: AddressInput!) {
  accountAddressCreate(input: $input) { address { id city } userErrors { field code } }
}
"""
RESET = """
mutation Reset($email: String!) { requestPasswordReset(input: {email: $email}) { userErrors { code } } }
"""
SET_PASSWORD = """
mutation Set($token: String!, $password: String!) {
  setPassword(input: {token: $token, password: $password}) { userErrors { field code } }
}
"""
EXPORT = "mutation { myDataExport { dataExport { id status } userErrors { code } } }"
EXPORT_STATUS = "query($id: ID!) { dataExport(id: $id) { status document } }"
DELETE = """
mutation Delete($password: String!) { accountDelete(input: {password: $password}) { userErrors { code } } }
"""
CUSTOMER = "query($id: ID!) { customer(id: $id) { id email } }"


def gql(
    platform: Platform, query: str, variables: dict[str, Any] | None = None, token: str = ""
) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = httpx.post(
        platform.router_url,
        json={"query": query, "variables": variables or {}},
        headers=headers,
        timeout=30,
    )
    body: dict[str, Any] = response.json()
    return body


def data(
    platform: Platform, query: str, variables: dict[str, Any] | None = None, token: str = ""
) -> Any:
    body = gql(platform, query, variables, token)
    assert "errors" not in body, body
    return body["data"]


def register_and_login(platform: Platform, email: str, password: str) -> str:
    payload = data(
        platform, REGISTER, {"input": {"email": email, "password": password, "firstName": "Ada"}}
    )
    assert payload["accountRegister"]["userErrors"] == []
    tokens = login(platform.router_url, email, password)
    assert tokens["userErrors"] == [], tokens
    token: str = tokens["accessToken"]
    return token


def outbox(platform: Platform, to: str, kind: str) -> list[dict[str, Any]]:
    directory = Path(platform.env["AGORA_DATA_DIR"]) / "mail"
    return [m for m in read_outbox(directory, to=to) if m["kind"] == kind]


def wait_for(check: Any, timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@pytest.fixture
def email() -> str:
    return f"ada-{uuid.uuid4().hex[:8]}@example.com"


def test_a_newcomer_registers_signs_in_and_keeps_an_address_book(
    platform: Platform, email: str
) -> None:
    token = register_and_login(platform, email, "correct horse battery")

    added = data(
        platform,
        ADDRESS_CREATE,
        {
            "input": {
                "firstName": "Ada",
                "lastName": "Lovelace",
                "street1": "12 Analytical Row",
                "city": "London",
                "postalCode": "N1 9GU",
                "countryCode": "GB",
            }
        },
        token,
    )["accountAddressCreate"]
    me = data(platform, ME, token=token)["me"]

    assert added["userErrors"] == []
    assert me["email"] == email
    assert me["addresses"] == [
        {
            "id": added["address"]["id"],
            "city": "London",
            "postalCode": "N1 9GU",
            "countryCode": "GB",
        }
    ]
    assert data(platform, ME)["me"] is None  # anonymous: nobody


def test_another_customer_cannot_read_a_customer(platform: Platform, email: str) -> None:
    alice = register_and_login(platform, email, "correct horse battery")
    bob = register_and_login(platform, f"bob-{email}", "another good password")
    alice_id = data(platform, ME, token=alice)["me"]["id"]

    as_bob = gql(platform, CUSTOMER, {"id": alice_id}, bob)

    assert as_bob.get("data", {}) in (None, {"customer": None})
    if as_bob.get("errors"):
        assert as_bob["errors"][0]["extensions"]["code"] in {"FORBIDDEN", "UNAUTHENTICATED"}


def test_a_password_reset_from_the_local_outbox(platform: Platform, email: str) -> None:
    register_and_login(platform, email, "correct horse battery")

    assert data(platform, RESET, {"email": email})["requestPasswordReset"]["userErrors"] == []
    [mail] = wait_for(lambda: outbox(platform, email, "password_reset"))
    token = re.search(r"token=([A-Za-z0-9_\-]+)", mail["text"])
    assert token is not None, mail["text"]
    changed = data(
        platform, SET_PASSWORD, {"token": token.group(1), "password": "a brand new secret"}
    )
    reused = data(
        platform, SET_PASSWORD, {"token": token.group(1), "password": "yet another secret"}
    )

    assert changed["setPassword"]["userErrors"] == []
    assert reused["setPassword"]["userErrors"] != []  # single use
    assert login(platform.router_url, email, "correct horse battery")["accessToken"] is None
    assert login(platform.router_url, email, "a brand new secret")["accessToken"]


def test_gdpr_export_then_deletion(platform: Platform, email: str) -> None:
    token = register_and_login(platform, email, "correct horse battery")

    started = data(platform, EXPORT, token=token)["myDataExport"]
    assert started["userErrors"] == []
    export_id = started["dataExport"]["id"]
    ready = wait_for(
        lambda: (
            d
            if (d := data(platform, EXPORT_STATUS, {"id": export_id}, token)["dataExport"])[
                "status"
            ]
            == "READY"
            else None
        )
    )
    deleted = data(platform, DELETE, {"password": "correct horse battery"}, token)

    assert email in str(ready["document"])
    assert deleted["accountDelete"]["userErrors"] == []
    assert login(platform.router_url, email, "correct horse battery")["accessToken"] is None


def test_a_direct_call_to_a_subgraph_is_refused(platform: Platform) -> None:
    response = httpx.post(
        f"{platform.host_url}/accounts/graphql", json={"query": "{ me { id } }"}, timeout=10
    )

    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNSIGNED_REQUEST"
