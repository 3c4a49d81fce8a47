#include "nrniv.h"

#include <dlfcn.h>
#include <omp.h>
#include <stddef.h>

/* The version string names the optional parts this build has. */
#ifdef NRN_ENABLE_GPU
#define NRN_GPU_PART " gpu"
#else
#define NRN_GPU_PART ""
#endif
#ifdef NRN_HAVE_MPT
#define NRN_MPT_PART " mpt"
#else
#define NRN_MPT_PART ""
#endif

const char *nrn_version(void) { return "NEURON-like 9.0" NRN_GPU_PART NRN_MPT_PART; }

double nrn_parallel_sum(long n) {
    double total = 0.0;
#pragma omp parallel for reduction(+ : total)
    for (long i = 1; i <= n; i++) {
        total += (double) i;
    }
    return total;
}

int nrn_thread_count(void) { return omp_get_max_threads(); }

const char *nrn_mpi_library(void) {
    /* As NEURON does: MPI is optional and found at run time, so one wheel serves every MPI. */
    static const char *candidates[] = {"libmpi.so.40", "libmpich.so.12", "libmpi.so.12", "libmpi.so", NULL};
    for (int i = 0; candidates[i] != NULL; i++) {
        void *handle = dlopen(candidates[i], RTLD_NOW | RTLD_GLOBAL);
        if (handle != NULL) {
            return candidates[i];
        }
    }
    return NULL;
}
