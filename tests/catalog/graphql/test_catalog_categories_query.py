"""``categories`` and ``category`` in process: the tree walked down (children) and up (parent)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.catalog.support import Tree
from tests.graphql_client import SubgraphClient

CATEGORY_TREE = """
query CategoryTree {
  categories {
    name slug parent { name }
    children { name children { name children { name } } }
  }
}
"""
CATEGORY = """
query Category($id: ID, $slug: String) {
  category(id: $id, slug: $slug) {
    id name slug
    parent { name parent { name parent { name } } }
    children { name }
  }
}
"""


async def test_the_tree_lists_roots_then_children_in_display_order(
    client: SubgraphClient, tree: Tree
) -> None:
    result = await client.execute(CATEGORY_TREE)

    assert result == {
        "data": {
            "categories": [
                {
                    "name": "Clothing",
                    "slug": "clothing",
                    "parent": None,
                    "children": [
                        {"name": "Shirts", "children": [{"name": "Polos", "children": []}]},
                        {"name": "Trousers", "children": []},
                    ],
                },
                {"name": "Home", "slug": "home", "parent": None, "children": []},
            ]
        }
    }


@pytest.mark.parametrize("by", ["id", "slug"])
async def test_a_category_knows_its_ancestors_and_children(
    client: SubgraphClient, tree: Tree, by: str
) -> None:
    variables: dict[str, Any] = {"id": tree.shirts.id} if by == "id" else {"slug": "shirts"}

    result = await client.execute(CATEGORY, variables)

    assert result == {
        "data": {
            "category": {
                "id": tree.shirts.id,
                "name": "Shirts",
                "slug": "shirts",
                "parent": {"name": "Clothing", "parent": None},
                "children": [{"name": "Polos"}],
            }
        }
    }


async def test_a_leaf_three_levels_down_walks_up_to_the_root(
    client: SubgraphClient, tree: Tree
) -> None:
    result = await client.execute(CATEGORY, {"slug": "polos"})

    category = result["data"]["category"]
    assert category["parent"] == {
        "name": "Shirts",
        "parent": {"name": "Clothing", "parent": None},
    }
    assert category["children"] == []


async def test_an_unknown_category_is_null(client: SubgraphClient, tree: Tree) -> None:
    assert await client.execute(CATEGORY, {"slug": "nope"}) == {"data": {"category": None}}
    assert await client.execute(CATEGORY, {"id": "nope"}) == {"data": {"category": None}}


@pytest.mark.parametrize("variables", [{}, {"id": "x", "slug": "y"}])
async def test_a_category_needs_exactly_one_of_id_and_slug(
    client: SubgraphClient, variables: dict[str, str]
) -> None:
    result = await client.execute(CATEGORY, variables)

    assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_no_categories_is_an_empty_list(client: SubgraphClient) -> None:
    assert await client.execute(CATEGORY_TREE) == {"data": {"categories": []}}
