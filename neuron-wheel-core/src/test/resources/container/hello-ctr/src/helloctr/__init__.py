from ._core import twice

__all__ = ["twice"]
