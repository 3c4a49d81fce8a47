# The header comes from a folder the build copies into the container (like vendor MPI headers).
from setuptools import Extension, setup

setup(py_modules=[], ext_modules=[Extension("needs_header", ["needs_header.c"], include_dirs=["/opt/vendor/include"])])
