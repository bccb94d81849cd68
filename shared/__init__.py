"""Agora's shared library: the pieces every subgraph is built from.

Nothing here imports a subgraph. Modules are small and named for what they hold.
"""
