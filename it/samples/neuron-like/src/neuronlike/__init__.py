"""NEURON-shaped sample package."""
from .hoc import mpi_library, parallel_sum, version

__all__ = ["mpi_library", "parallel_sum", "version", "rank"]


def rank():
    """This process's MPI rank as the launcher set it (0 when not launched by MPI)."""
    import os

    for name in ("PMI_RANK", "OMPI_COMM_WORLD_RANK", "MPI_LOCALRANKID"):
        if name in os.environ:
            return int(os.environ[name])
    return 0
