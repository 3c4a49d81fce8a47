#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <imgonly.h>

static PyObject *answer(PyObject *self, PyObject *unused) { return PyLong_FromLong(imgonly_answer()); }

static PyMethodDef methods[] = {{"answer", answer, METH_NOARGS, "Asks libimgonly."}, {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "imgonly_ext", NULL, -1, methods};

PyMODINIT_FUNC PyInit_imgonly_ext(void) { return PyModule_Create(&module); }
