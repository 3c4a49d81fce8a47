#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *scale(PyObject *self, PyObject *args) {
    double value, factor;
    if (!PyArg_ParseTuple(args, "dd", &value, &factor)) {
        return NULL;
    }
    return PyFloat_FromDouble(value * factor);
}

static PyMethodDef methods[] = {
    {"scale", scale, METH_VARARGS, "value times factor"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_core", NULL, -1, methods};

PyMODINIT_FUNC PyInit__core(void) { return PyModule_Create(&module); }
