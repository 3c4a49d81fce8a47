"""The before-build step: records which Python builds the wheel, as the package's built_with()."""
import pathlib
import sys

target = pathlib.Path(__file__).resolve().parent.parent / "src" / "cibw_ext" / "_built_with.py"
target.write_text("VERSION = %r\n" % ("%d.%d" % sys.version_info[:2]))
print("before-build: recorded Python", sys.version.split()[0], "in", target)
