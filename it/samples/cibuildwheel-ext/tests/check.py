"""The test command: runs in the test environment of every wheel, in the build image."""
import sys

import cibw_ext

assert cibw_ext.greeting() == "hello from before-all", cibw_ext.greeting()
assert cibw_ext.flavour() == "configured in pyproject.toml, home /root", cibw_ext.flavour()
assert cibw_ext.built_with() == "%d.%d" % sys.version_info[:2], cibw_ext.built_with()
assert cibw_ext.zlib_version().startswith("1."), cibw_ext.zlib_version()
assert cibw_ext.threads() >= 1
print("cibw_ext checks passed on", sys.version.split()[0])
