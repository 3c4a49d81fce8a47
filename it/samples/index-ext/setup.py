from setuptools import Extension, setup

setup(ext_modules=[Extension("index_ext._core", ["src/index_ext/_core.c"])])
