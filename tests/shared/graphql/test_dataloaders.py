"""Per-request loader registry."""

from __future__ import annotations

from shared.graphql.dataloaders import Loaders


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
