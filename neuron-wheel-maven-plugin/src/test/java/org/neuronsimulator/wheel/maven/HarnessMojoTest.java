package org.neuronsimulator.wheel.maven;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import javax.inject.Inject;
import org.apache.maven.api.di.Provides;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.DefaultMavenExecutionResult;
import org.apache.maven.execution.MavenExecutionRequest;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.Model;
import org.apache.maven.model.io.xpp3.MavenXpp3Reader;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.pull.XmlPullParserException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * A test project for the Maven Plugin Testing Harness: the class's {@link Basedir} folder with its pom.xml,
 * as a real {@link MavenProject} (basedir and {@code target/} as the super POM gives them) in a real
 * {@link MavenSession}, so that {@code ${project.*}}, {@code ${session.*}}, {@code ${settings.offline}} and
 * {@code -D} properties evaluate as in a build. The harness's own stand-ins put the project in the module
 * folder, which would hide whether a default names the project's folders.
 * A test method sets {@code -D} properties with {@link UserProperty} and {@code -o} with {@link Offline}.
 */
abstract class HarnessMojoTest {

    /** A {@code -Dname=value} of the Maven command line. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @Repeatable(UserProperties.class)
    @interface UserProperty {
        String name();

        String value();
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface UserProperties {
        UserProperty[] value();
    }

    /** Maven runs offline ({@code -o}). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface Offline {
    }

    final Path projectDirectory;
    final MavenProject project;
    final MavenExecutionRequest request = new DefaultMavenExecutionRequest();
    final MavenSession session;

    /** The harness's log: a Mockito spy whose calls the tests read. */
    @Inject
    Log log;

    @SuppressWarnings("deprecation") // Maven 3.9 builds its sessions with this constructor; no other takes a request
    HarnessMojoTest() {
        projectDirectory = basedirOf(getClass());
        project = readProject(projectDirectory.resolve("pom.xml"));
        request.setBaseDirectory(projectDirectory.toFile());
        request.setUserProperties(new Properties());
        request.setSystemProperties(new Properties());
        session = new MavenSession(null, null, request, new DefaultMavenExecutionResult());
        session.setProjects(List.of(project));
        session.setCurrentProject(project);
    }

    @Provides
    MavenProject project() {
        return project;
    }

    @Provides
    MavenSession session() {
        return session;
    }

    @BeforeEach
    void commandLine(TestInfo test) {
        test.getTestMethod().ifPresent(method -> {
            for (UserProperty property : method.getAnnotationsByType(UserProperty.class)) {
                request.getUserProperties().setProperty(property.name(), property.value());
            }
            request.setOffline(method.isAnnotationPresent(Offline.class));
        });
    }

    /** A file or folder of the test project. */
    File projectFile(String relative) {
        return projectDirectory.resolve(relative).toFile();
    }

    private static Path basedirOf(Class<?> testClass) {
        Basedir basedir = testClass.getAnnotation(Basedir.class);
        if (basedir == null) {
            throw new IllegalStateException(testClass + " names no @Basedir test project");
        }
        URL folder = testClass.getResource(basedir.value());
        if (folder == null) {
            throw new IllegalStateException("no test project " + basedir.value() + " on the test class path");
        }
        try {
            return Path.of(folder.toURI()).toAbsolutePath();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The pom's model as written; the build folder is the super POM's {@code ${project.basedir}/target}. */
    private static MavenProject readProject(Path pom) {
        Model model;
        try (InputStream in = Files.newInputStream(pom)) {
            model = new MavenXpp3Reader().read(in);
        } catch (IOException | XmlPullParserException e) {
            throw new IllegalStateException("cannot read " + pom, e);
        }
        MavenProject project = new MavenProject(model);
        project.setFile(pom.toFile());
        project.getBuild().setDirectory(pom.getParent().resolve("target").toString());
        return project;
    }
}
