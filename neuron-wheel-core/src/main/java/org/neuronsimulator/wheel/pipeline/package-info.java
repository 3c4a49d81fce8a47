/**
 * One entry point per step of the wheel pipeline: {@link org.neuronsimulator.wheel.pipeline.WheelBuild} (raw wheels),
 * {@link org.neuronsimulator.wheel.pipeline.FinalWheels} (the wheelhouse), {@link org.neuronsimulator.wheel.pipeline.WheelAudits},
 * {@link org.neuronsimulator.wheel.pipeline.WheelTests}, {@link org.neuronsimulator.wheel.pipeline.WheelUpload} and
 * {@link org.neuronsimulator.wheel.pipeline.ImageRelease} (the builder image). Each takes one settings object, merges it
 * with the project's pyproject.toml where that applies, and drives the packages before it. Errors come out typed:
 * {@link org.neuronsimulator.wheel.InvalidSettingException} and the packages' checked exceptions for the user's
 * mistakes, {@link java.io.IOException} for failures.
 */
package org.neuronsimulator.wheel.pipeline;
