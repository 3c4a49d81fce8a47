# Links libimgonly.so.1, which the test image has in /opt/imgonly/lib (named by its ld.so.conf.d) and the host lacks,
# and the image's zlib (package zlib1g), whose owner the library export records.
from setuptools import Extension, setup

setup(py_modules=[], ext_modules=[Extension("imgonly_ext", ["imgonly_ext.c"], include_dirs=["/opt/imgonly/include"],
                                            library_dirs=["/opt/imgonly/lib"], libraries=["imgonly"],
                                            extra_link_args=["-Wl,--no-as-needed", "-l:libz.so.1"])])
