package org.neuronsimulator.wheel.maven;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.maven.plugins.annotations.Parameter;
import org.neuronsimulator.wheel.builder.container.ExtraInput;
import org.neuronsimulator.wheel.config.SettingValues;
import org.neuronsimulator.wheel.testing.ClusterOptions;
import org.neuronsimulator.wheel.testing.MpiVariant;
import org.neuronsimulator.wheel.testing.WheelTestSettings;

/**
 * The test goal's parameters for where its tests run: a container of an image and the folders copied into it, or this
 * machine, in a cluster allocation with environment modules, under MPI launchers or MPI variants; and the folder that
 * relative paths start from, with a pom or without.
 */
public abstract class TestSiteMojo extends ContainerMojo {

    /**
     * Docker image to test in (e.g. {@code quay.io/pypa/manylinux2014_x86_64}): one container on {@code neuron.network},
     * its {@code /opt/python/*} Pythons chosen by {@code neuron.python}. Unset: the build image when pyproject.toml's
     * {@code [tool.cibuildwheel]} names it, else test on this machine.
     */
    @Parameter(property = "neuron.test.image")
    String testImage;

    /**
     * Host folders copied into the test container, as {@code HOST_FOLDER:/container/folder}; e.g. a folder of
     * requirement wheels for {@code neuron.test.pipOptions=--no-index,--find-links=/container/folder}.
     */
    @Parameter(property = "neuron.test.imageInputs")
    List<String> imageInputs = List.of();

    /** MPI launcher prefixes, one MPI variant each; one that is not installed is reported as skipped. */
    @Parameter(property = "neuron.test.mpiLaunchers", defaultValue = WheelTestSettings.DEFAULT_MPI_LAUNCHER)
    List<String> mpiLaunchers = List.of(WheelTestSettings.DEFAULT_MPI_LAUNCHER);

    /**
     * An allocation command wrapping the whole test run, e.g. {@code salloc -N1 -n2 --time=00:20:00}: the tests run on
     * this machine with the environment it gives, so an {@code srun} launcher starts steps of the job; released at the
     * end. Refusals and a job past its time limit fail the goal with the scheduler's message.
     */
    @Parameter(property = "neuron.test.allocation")
    String allocation;

    /**
     * How long the allocation may pend in the scheduler's queue, in minutes, before the goal fails with the
     * scheduler's last words (a down or drained node, a busy partition); unset: the test timeout, at least 20.
     */
    @Parameter(property = "neuron.test.allocationWaitMinutes")
    Long allocationWaitMinutes;

    /**
     * Environment modules loaded (inside the allocation) before the Pythons are looked for and the tests run, e.g.
     * {@code python/3.11,nvhpc,hpe-mpi}; one that does not load fails the goal with the module system's message.
     */
    @Parameter(property = "neuron.test.modules")
    List<String> modules = List.of();

    /** Folders of modulefiles added with {@code module use} before {@code neuron.test.modules} are loaded. */
    @Parameter(property = "neuron.test.modulePath")
    List<String> modulePath = List.of();

    /** Runs {@code module purge} before loading {@code neuron.test.modules}. */
    @Parameter(property = "neuron.test.modulePurge", defaultValue = "false")
    boolean modulePurge;

    /** The module system's sh initialisation; unset: {@code $MODULESHOME/init/sh}, or where Lmod or Environment Modules keep it. */
    @Parameter(property = "neuron.test.moduleInit")
    String moduleInit;

    /**
     * MPI variants with their own launcher and modules, e.g. {@code hpe-mpi} under {@code srun -n 2} with module
     * {@code hpe-mpi}; when given they replace {@code mpiLaunchers}. Reports are named {@code mpi[NAME]}.
     */
    @Parameter
    List<MpiVariantConfig> mpiVariants = List.of();

    /** The project folder ({@code {project}}); commands run there. */
    @Parameter(defaultValue = "${project.basedir}", readonly = true)
    File projectDirectory;

    /** Where Maven was started: the project folder of a run without a pom. */
    @Parameter(defaultValue = "${session.executionRootDirectory}", readonly = true)
    File executionRoot;

    /** The image inputs as core's; relative host folders resolve as other folders do. */
    List<ExtraInput> imageInputs() {
        return SettingValues.list(imageInputs).stream().map(ExtraInput::parse)
                .map(input -> new ExtraInput(folder(input.hostPath().toFile()), input.containerPath())).toList();
    }

    /** The MPI variants as core's. */
    List<MpiVariant> mpiVariants() {
        return (mpiVariants == null ? List.<MpiVariantConfig>of() : mpiVariants).stream()
                .map(v -> new MpiVariant(v.getName(), v.getLauncher(), SettingValues.list(v.getModules()))).toList();
    }

    /** The allocation and modules as core's; module folders resolve as other folders do. */
    ClusterOptions clusterOptions() {
        return new ClusterOptions(allocation, SettingValues.list(modules), modulePurge,
                SettingValues.list(modulePath).stream().map(f -> folder(new File(f)).toString()).toList(), moduleInit,
                allocationWaitMinutes == null ? null : Duration.ofMinutes(allocationWaitMinutes));
    }

    /** The project's folder; in a run without a pom, where Maven was started. */
    Path base() {
        return (projectDirectory != null ? projectDirectory
                : executionRoot != null ? executionRoot : new File("").getAbsoluteFile()).toPath();
    }

    /** A folder parameter, relative ones taken from {@link #base()}. */
    Path folder(File file) {
        return SettingValues.folder(base(), file.getPath());
    }
}
