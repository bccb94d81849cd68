"""The event bus: one interface (``EventBus``), an in-process and a Redis Streams implementation."""
