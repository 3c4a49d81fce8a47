#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nrniv.h"

/* The bundled executable: prints what the core library computes. */
int main(int argc, char **argv) {
    long n = 1000;
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        printf("%s\n", nrn_version());
        return 0;
    }
    if (argc > 1) {
        n = atol(argv[1]);
    }
    printf("%s sum(1..%ld)=%.0f threads=%d\n", nrn_version(), n, nrn_parallel_sum(n), nrn_thread_count());
    return 0;
}
