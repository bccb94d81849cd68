"""Per-request loader registry, and ``then``: relations that resolve at once when primed."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Sequence

import pytest
from aiodataloader import DataLoader

from shared.graphql.dataloaders import Loaders, then


class Alpha:
    def __init__(self, tag: str) -> None:
        self.tag = tag


class Beta(Alpha):
    pass


def test_each_loader_class_is_built_once_per_registry() -> None:
    built: list[type[object]] = []

    def factory(cls: type[Alpha]) -> Alpha:
        built.append(cls)
        return cls(f"built-{len(built)}")

    loaders = Loaders(factory)

    first = loaders.get(Alpha)
    assert loaders.get(Alpha) is first
    beta = loaders.get(Beta)

    assert built == [Alpha, Beta]
    assert isinstance(beta, Beta)
    assert (first.tag, beta.tag) == ("built-1", "built-2")


def test_registries_do_not_share_loaders() -> None:
    one = Loaders(lambda cls: cls("x"))
    two = Loaders(lambda cls: cls("x"))

    assert one.get(Alpha) is not two.get(Alpha)


class Squares(DataLoader[int, int]):
    def __init__(self) -> None:
        super().__init__()
        self.batches: list[list[int]] = []

    async def batch_load_fn(self, keys: Sequence[int]) -> list[int]:
        self.batches.append(list(keys))
        return [k * k for k in keys]


async def test_a_primed_key_resolves_at_once_without_a_batch() -> None:
    loader = Squares()
    loader.prime(3, 9)

    value = then(loader.load(3), lambda n: n + 1)

    assert value == 10
    assert loader.batches == []


async def test_a_missing_key_gives_an_awaitable_and_keys_still_batch() -> None:
    loader = Squares()

    pending = [then(loader.load(k), str) for k in (2, 4)]

    assert all(inspect.isawaitable(p) for p in pending)
    assert [await p for p in pending] == ["4", "16"]
    assert loader.batches == [[2, 4]]


async def test_a_loaded_key_resolves_at_once_the_second_time() -> None:
    loader = Squares()
    assert await loader.load(5) == 25

    assert then(loader.load(5), lambda n: n) == 25
    assert loader.batches == [[5]]


async def test_a_failed_future_raises_at_once() -> None:
    failed: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    failed.set_exception(LookupError("gone"))

    with pytest.raises(LookupError, match="gone"):
        then(failed, lambda n: n)
