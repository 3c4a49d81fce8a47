"""Builds the NEURON-like sample: setuptools drives CMake, which builds the core library, the
nrniv program and the hoc extension, and installs them into the package folder."""
import os
import shlex
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        package_dir = Path(self.get_ext_fullpath(ext.name)).parent.resolve()
        build_dir = Path(self.build_temp).resolve() / "cmake"
        source_dir = Path(__file__).parent.resolve()
        subprocess.check_call([
            "cmake", "-S", str(source_dir), "-B", str(build_dir),
            f"-DPython_EXECUTABLE={sys.executable}",
            "-DCMAKE_BUILD_TYPE=Release",
            f"-DCMAKE_INSTALL_PREFIX={package_dir}",
            # build variants add options here, as scikit-build does (e.g. -DNRN_ENABLE_GPU=ON)
            *shlex.split(os.environ.get("CMAKE_ARGS", "")),
        ])
        subprocess.check_call(["cmake", "--build", str(build_dir), "--parallel", str(os.cpu_count() or 1)])
        subprocess.check_call(["cmake", "--install", str(build_dir)])


setup(
    ext_modules=[Extension("neuronlike.hoc", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    data_files=[("share/neuronlike/hoc", ["share/hoc/stdlib.hoc"])],
)
