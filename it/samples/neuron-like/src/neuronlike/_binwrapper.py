"""Console-script entry point that runs the bundled nrniv program, as NEURON's wrapper does."""
import os
import sys
from pathlib import Path


def nrniv():
    program = Path(__file__).parent / ".data" / "bin" / "nrniv"
    os.execv(str(program), [str(program)] + sys.argv[1:])
