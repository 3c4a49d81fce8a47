#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <omp.h>
/* written into the build container by the before-all step */
#include <cibw_greeting.h>

/* zlib's own declaration; the image has libz.so.1 but no headers */
extern const char *zlibVersion(void);

static PyObject *greeting(PyObject *self, PyObject *unused) { return PyUnicode_FromString(CIBW_GREETING); }

static PyObject *flavour(PyObject *self, PyObject *unused) { return PyUnicode_FromString(CIBW_EXT_FLAVOUR); }

static PyObject *threads(PyObject *self, PyObject *unused) { return PyLong_FromLong(omp_get_max_threads()); }

static PyObject *zlib_version(PyObject *self, PyObject *unused) { return PyUnicode_FromString(zlibVersion()); }

static PyMethodDef methods[] = {
    {"greeting", greeting, METH_NOARGS, "the text the before-all step wrote"},
    {"flavour", flavour, METH_NOARGS, "CIBW_EXT_FLAVOUR at build time"},
    {"threads", threads, METH_NOARGS, "OpenMP's thread count"},
    {"zlib_version", zlib_version, METH_NOARGS, "the loaded zlib's version"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_core", NULL, -1, methods};

PyMODINIT_FUNC PyInit__core(void) { return PyModule_Create(&module); }
