#ifndef NRNIV_H
#define NRNIV_H

/* The simulator core: a shared library used by both the Python module and the nrniv program. */
const char *nrn_version(void);
/* Sum of 1..n computed by an OpenMP loop (links libgomp). */
double nrn_parallel_sum(long n);
/* Number of OpenMP threads the runtime would use. */
int nrn_thread_count(void);
/* Name of the MPI library found with dlopen at run time, or NULL; MPI is never linked. */
const char *nrn_mpi_library(void);

#endif
