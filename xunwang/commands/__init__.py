"""Command modules of the ``xunwang`` CLI; each exposes ``register(group)``."""
