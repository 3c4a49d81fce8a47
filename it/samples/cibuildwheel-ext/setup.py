import os

from setuptools import Extension, setup

# set by [tool.cibuildwheel] environment, expanded in the build container
flavour = os.environ.get("CIBW_EXT_FLAVOUR", "unset")

setup(
    ext_modules=[
        Extension(
            "cibw_ext._core",
            ["src/cibw_ext/_core.c"],
            define_macros=[("CIBW_EXT_FLAVOUR", '"%s"' % flavour)],
            extra_compile_args=["-fopenmp"],
            # OpenMP's runtime and zlib, both left out of the wheel by the repair command's --exclude
            extra_link_args=["-fopenmp", "-l:libz.so.1"],
        )
    ]
)
