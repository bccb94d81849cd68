"""A reusable check of object-level authorization (BOLA): an object its owner can read is
invisible to everyone else — through ``_entities`` (what the router sends) and through queries.

Usage in any subgraph's tests::

    await assert_owner_only(
        client, typename="Order", object_id=order.id, owner=customer("c1"),
        selection="id total { amount }",
        queries=[OwnedQuery(ORDER, {"id": order.id}, ("order",))],
    )
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from shared.auth import ANONYMOUS, Permission, Principal
from tests.graphql_client import SubgraphClient

DEFAULT_INTRUDERS: tuple[Principal, ...] = (
    ANONYMOUS,
    Principal.customer("bola-other-customer"),
    Principal.staff("bola-staff-without-permission", ()),
    Principal.staff("bola-staff-without-mfa", frozenset(Permission), mfa=False),
)


@dataclass(frozen=True)
class OwnedQuery:
    """A query that returns the owner's object at ``path`` (null or an error for others)."""

    document: str
    variables: dict[str, Any] = field(default_factory=dict)
    path: tuple[str, ...] = ()


def _at(data: Any, path: Sequence[str]) -> Any:
    for key in path:
        if data is None:
            return None
        data = data[key]
    return data


def _entities(typename: str, selection: str) -> str:
    return (
        "query Entities($representations: [_Any!]!) { _entities(representations: $representations)"
        f" {{ ... on {typename} {{ {selection} }} }} }}"
    )


async def assert_owner_only(
    client: SubgraphClient,
    *,
    typename: str,
    object_id: str,
    owner: Principal,
    selection: str = "id",
    key: str = "id",
    queries: Sequence[OwnedQuery] = (),
    intruders: Sequence[Principal] = DEFAULT_INTRUDERS,
) -> None:
    """The owner gets the object; every intruder gets null (or an error), never its fields."""
    document = _entities(typename, selection)
    variables = {"representations": [{"__typename": typename, key: object_id}]}
    seen = await client.execute(document, variables, principal=owner)
    assert "errors" not in seen, seen
    assert seen["data"]["_entities"][0] is not None, f"the owner cannot read {typename} {object_id}"
    for query in queries:
        mine = await client.execute(query.document, query.variables, principal=owner)
        assert _at(mine.get("data"), query.path) is not None, mine

    for intruder in intruders:
        hidden = await client.execute(document, variables, principal=intruder)
        entities = _at(hidden.get("data"), ("_entities",))
        assert entities is None or entities == [None], (
            f"{intruder.kind}:{intruder.id} read {typename} {object_id} through _entities: {hidden}"
        )
        for query in queries:
            other = await client.execute(query.document, query.variables, principal=intruder)
            assert _at(other.get("data"), query.path) is None, (
                f"{intruder.kind}:{intruder.id} read {typename} {object_id} through a query: {other}"
            )
