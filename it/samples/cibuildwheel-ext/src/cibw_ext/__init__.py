from ._built_with import VERSION as _BUILT_WITH
from ._core import flavour, greeting, threads, zlib_version


def built_with():
    """The Python version the before-build step recorded for this wheel's build."""
    return _BUILT_WITH


__all__ = ["built_with", "flavour", "greeting", "threads", "zlib_version"]
