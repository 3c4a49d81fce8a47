"""Writes a valid wheel of about SIZE_MB megabytes of incompressible data, stored (no data descriptors)."""
import base64
import hashlib
import os
import sys
import zipfile

out_dir, size_mb = sys.argv[1], int(sys.argv[2])
name, version = "bench_upload", "1.0.0"
dist_info = f"{name}-{version}.dist-info"
path = os.path.join(out_dir, f"{name}-{version}-py3-none-any.whl")


def record_hash(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


rows = []
with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
    chunk = 64 * 1024 * 1024
    left = size_mb * 1024 * 1024
    part = 0
    while left > 0:
        data = os.urandom(min(chunk, left))
        arc = f"{name}/blob{part:03d}.bin"
        z.writestr(arc, data)
        rows.append(f"{arc},{record_hash(data)},{len(data)}")
        left -= len(data)
        part += 1
    init = b"# large test payload\n"
    z.writestr(f"{name}/__init__.py", init)
    rows.append(f"{name}/__init__.py,{record_hash(init)},{len(init)}")
    meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: 1 GB upload benchmark\n\nLarge.\n".encode()
    wheel = b"Wheel-Version: 1.0\nGenerator: benchmark\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    for fname, data in (("METADATA", meta), ("WHEEL", wheel)):
        z.writestr(f"{dist_info}/{fname}", data)
        rows.append(f"{dist_info}/{fname},{record_hash(data)},{len(data)}")
    rows.append(f"{dist_info}/RECORD,,")
    z.writestr(f"{dist_info}/RECORD", "\n".join(rows) + "\n")
print(path)
