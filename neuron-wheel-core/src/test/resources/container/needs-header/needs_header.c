#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <vendor_answer.h>

static PyObject *answer(PyObject *self, PyObject *unused) { return PyLong_FromLong(VENDOR_ANSWER); }

static PyMethodDef methods[] = {{"answer", answer, METH_NOARGS, "The vendor's answer."}, {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "needs_header", NULL, -1, methods};

PyMODINIT_FUNC PyInit_needs_header(void) { return PyModule_Create(&module); }
