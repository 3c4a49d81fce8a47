package org.neuronsimulator.wheel.testing;

import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The test cases of a JUnit XML file that pytest wrote ({@code --junitxml}), so that a command running
 * pytest shows pytest's own cases in the report, not one case for the whole run.
 */
final class PytestReport {

    private static final XMLInputFactory FACTORY = XMLInputFactory.newFactory();

    static {
        // the report comes from the tested code's machine: no DTDs, no external entities
        FACTORY.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        FACTORY.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    }

    private PytestReport() {
    }

    /** The environment variable pytest reads extra options from. */
    static final String ADDOPTS = "PYTEST_ADDOPTS";

    /** {@code PYTEST_ADDOPTS} with a {@code --junitxml} option added to what the user set. */
    static String addOptions(String existing, String reportPath) {
        String option = "--junitxml=" + reportPath;
        return existing == null || existing.isBlank() ? option : existing + " " + option;
    }

    /**
     * Reads the cases of a pytest report; each is named {@code prefix + classname.name}.
     *
     * @throws IOException naming the report when it is not JUnit XML
     */
    static List<TestCaseResult> cases(String xml, String prefix, String source) throws IOException {
        List<TestCaseResult> cases = new ArrayList<>();
        try {
            XMLStreamReader in = FACTORY.createXMLStreamReader(new StringReader(xml));
            String name = null;
            Duration time = Duration.ZERO;
            TestCaseResult.Status status = TestCaseResult.Status.PASSED;
            String message = "";
            StringBuilder detail = new StringBuilder();
            boolean inOutcome = false;
            while (in.hasNext()) {
                int event = in.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    switch (in.getLocalName()) {
                        case "testcase" -> {
                            String className = attribute(in, "classname");
                            name = (className.isEmpty() ? "" : className + ".") + attribute(in, "name");
                            time = seconds(attribute(in, "time"));
                            status = TestCaseResult.Status.PASSED;
                            message = "";
                            detail.setLength(0);
                        }
                        case "failure", "error" -> {
                            status = TestCaseResult.Status.FAILED;
                            message = in.getLocalName() + ": " + attribute(in, "message");
                            inOutcome = true;
                        }
                        case "skipped" -> {
                            if (status != TestCaseResult.Status.FAILED) {
                                status = TestCaseResult.Status.SKIPPED;
                                message = attribute(in, "message");
                            }
                            inOutcome = true;
                        }
                        default -> { }
                    }
                } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
                    if (inOutcome) {
                        detail.append(in.getText());
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    switch (in.getLocalName()) {
                        case "failure", "error", "skipped" -> inOutcome = false;
                        case "testcase" -> {
                            cases.add(new TestCaseResult(prefix + name, status, message, detail.toString().strip(), time));
                            name = null;
                        }
                        default -> { }
                    }
                }
            }
        } catch (XMLStreamException e) {
            throw new IOException("pytest's report " + source + " is not JUnit XML: " + e.getMessage(), e);
        }
        return cases;
    }

    private static String attribute(XMLStreamReader in, String name) {
        String value = in.getAttributeValue(null, name);
        return value == null ? "" : value;
    }

    private static Duration seconds(String text) {
        try {
            return Duration.ofNanos((long) (Double.parseDouble(text) * 1e9));
        } catch (NumberFormatException e) {
            return Duration.ZERO;
        }
    }
}
