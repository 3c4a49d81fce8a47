from setuptools import Extension, setup

setup(ext_modules=[Extension("hello._hello", ["src/hello/_hello.c"])])
