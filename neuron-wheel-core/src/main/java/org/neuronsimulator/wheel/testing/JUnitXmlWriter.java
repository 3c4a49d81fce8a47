package org.neuronsimulator.wheel.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.neuronsimulator.wheel.AtomicFile;

/**
 * Writes a suite in the JUnit XML dialect that Surefire writes and CI systems (Jenkins, GitLab,
 * GitHub actions, Azure) read: {@code testsuite} with counts, one {@code testcase} per command,
 * {@code failure}/{@code skipped} children and the output in {@code system-out}.
 */
public final class JUnitXmlWriter {

    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();

    private JUnitXmlWriter() {
    }

    /** The suite's JUnit class name: dots separate subject, interpreter and variant as CI tools expect. */
    public static String className(TestSuiteResult suite) {
        return safe(suite.subject()) + "." + safe(suite.python()) + "." + safe(suite.variant());
    }

    /** {@code TEST-<classname>.xml}, the file name Surefire would choose. */
    public static String fileName(TestSuiteResult suite) {
        return "TEST-" + className(suite) + ".xml";
    }

    /** Writes the suite into {@code directory}, atomically, and returns the suite with its file. */
    public static TestSuiteResult write(TestSuiteResult suite, Path directory) throws IOException {
        Path target = directory.resolve(fileName(suite));
        AtomicFile.write(target, out -> {
            try {
                XMLStreamWriter xml = FACTORY.createXMLStreamWriter(out, "UTF-8");
                write(suite, xml);
                xml.close();
            } catch (XMLStreamException e) {
                throw new IOException("cannot write " + target + ": " + e.getMessage(), e);
            }
        });
        return suite.withReportFile(target);
    }

    private static void write(TestSuiteResult suite, XMLStreamWriter xml) throws XMLStreamException {
        String className = className(suite);
        xml.writeStartDocument("UTF-8", "1.0");
        xml.writeCharacters("\n");
        xml.writeStartElement("testsuite");
        xml.writeAttribute("name", className);
        xml.writeAttribute("tests", Integer.toString(suite.cases().size()));
        xml.writeAttribute("failures", Long.toString(suite.count(TestCaseResult.Status.FAILED)));
        xml.writeAttribute("errors", "0");
        xml.writeAttribute("skipped", Long.toString(suite.count(TestCaseResult.Status.SKIPPED)));
        xml.writeAttribute("time", seconds(suite.duration()));
        xml.writeAttribute("timestamp", DateTimeFormatter.ISO_LOCAL_DATE_TIME
                .format(suite.started().truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC)));
        xml.writeAttribute("hostname", hostName());
        xml.writeCharacters("\n  ");
        xml.writeStartElement("properties");
        property(xml, "subject", suite.subject());
        property(xml, "python", suite.python());
        property(xml, "variant", suite.variant());
        xml.writeCharacters("\n  ");
        xml.writeEndElement();
        Map<String, Integer> seen = new HashMap<>();
        for (TestCaseResult test : suite.cases()) {
            int n = seen.merge(test.name(), 1, Integer::sum);
            String name = n == 1 ? test.name() : test.name() + " [" + n + "]"; // names must be unique in a suite
            xml.writeCharacters("\n  ");
            xml.writeStartElement("testcase");
            xml.writeAttribute("name", clean(name));
            xml.writeAttribute("classname", className);
            xml.writeAttribute("time", seconds(test.duration()));
            switch (test.status()) {
                case FAILED -> {
                    xml.writeCharacters("\n    ");
                    xml.writeStartElement("failure");
                    xml.writeAttribute("message", clean(test.message()));
                    xml.writeAttribute("type", "CommandFailed");
                    xml.writeCharacters(clean(test.output()));
                    xml.writeEndElement();
                }
                case SKIPPED -> {
                    xml.writeCharacters("\n    ");
                    xml.writeEmptyElement("skipped");
                    xml.writeAttribute("message", clean(test.message()));
                }
                case PASSED -> { }
            }
            if (!test.output().isEmpty()) {
                xml.writeCharacters("\n    ");
                xml.writeStartElement("system-out");
                xml.writeCharacters(clean(test.output()));
                xml.writeEndElement();
            }
            xml.writeCharacters("\n  ");
            xml.writeEndElement();
        }
        xml.writeCharacters("\n");
        xml.writeEndElement();
        xml.writeCharacters("\n");
        xml.writeEndDocument();
    }

    private static void property(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        xml.writeCharacters("\n    ");
        xml.writeEmptyElement("property");
        xml.writeAttribute("name", name);
        xml.writeAttribute("value", clean(value));
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.3f", duration.toNanos() / 1e9);
    }

    private static String safe(String text) {
        return text.replaceAll("[^A-Za-z0-9_+=-]+", "_");
    }

    /** Drops characters XML 1.0 cannot carry (terminal control codes in command output). */
    static String clean(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            boolean allowed = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
            out.appendCodePoint(allowed ? c : '?');
        });
        return out.toString();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
