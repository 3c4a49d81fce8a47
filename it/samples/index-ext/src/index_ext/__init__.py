from importlib.metadata import version

from ._core import scale

__version__ = version("index-ext")
__all__ = ["scale", "__version__"]
