# rewritten by tools/record_python.py (the before-build step) for each Python that builds the wheel
VERSION = "unknown"
