from setuptools import Extension, setup

setup(ext_modules=[Extension("helloctr._core", ["src/helloctr/_core.c"])])
