"""Example package: a C extension with two functions."""
from ._hello import add, greet

__all__ = ["add", "greet"]
