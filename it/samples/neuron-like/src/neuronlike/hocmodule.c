#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "nrniv.h"

static PyObject *hoc_version(PyObject *self, PyObject *args) {
    return PyUnicode_FromString(nrn_version());
}

static PyObject *hoc_parallel_sum(PyObject *self, PyObject *args) {
    long n;
    if (!PyArg_ParseTuple(args, "l", &n)) {
        return NULL;
    }
    return PyFloat_FromDouble(nrn_parallel_sum(n));
}

static PyObject *hoc_mpi_library(PyObject *self, PyObject *args) {
    const char *name = nrn_mpi_library();
    if (name == NULL) {
        Py_RETURN_NONE;
    }
    return PyUnicode_FromString(name);
}

static PyMethodDef hoc_methods[] = {
    {"version", hoc_version, METH_NOARGS, "Version of the simulator core."},
    {"parallel_sum", hoc_parallel_sum, METH_VARARGS, "Sum 1..n with OpenMP."},
    {"mpi_library", hoc_mpi_library, METH_NOARGS, "MPI library found at run time, or None."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef hoc_module = {PyModuleDef_HEAD_INIT, "hoc", "Simulator core bindings.", -1, hoc_methods};

PyMODINIT_FUNC PyInit_hoc(void) { return PyModule_Create(&hoc_module); }
