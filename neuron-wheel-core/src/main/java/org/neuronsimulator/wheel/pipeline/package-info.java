/**
 * One entry point per step of the wheel pipeline (build, write the wheelhouse, test, publish): each takes one settings
 * object, merges it with the project's pyproject.toml where that applies, and drives the packages before it. Errors
 * come out typed: {@link org.neuronsimulator.wheel.InvalidSettingException} and the packages' checked exceptions for
 * the user's mistakes, {@link java.io.IOException} for failures.
 */
package org.neuronsimulator.wheel.pipeline;
