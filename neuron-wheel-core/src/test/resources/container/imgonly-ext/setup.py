# Links libimgonly.so.1, which the test image has in /opt/imgonly/lib (named by its ld.so.conf.d) and the host lacks.
from setuptools import Extension, setup

setup(py_modules=[], ext_modules=[Extension("imgonly_ext", ["imgonly_ext.c"], include_dirs=["/opt/imgonly/include"],
                                            library_dirs=["/opt/imgonly/lib"], libraries=["imgonly"])])
