package org.neuronsimulator.wheel.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * A JUnit XML report read back with the JDK's XML parser, checked for the structure CI readers rely
 * on (counts that match the test cases, a name, class name and time on each case).
 */
record JUnitReport(String name, int tests, int failures, int skipped, List<Case> cases) {

    record Case(String name, String className, double time, String status, String message, String failureText,
                String systemOut) {
    }

    static JUnitReport parse(Path file) throws IOException {
        Document document;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            document = builder.parse(file.toFile());
        } catch (ParserConfigurationException | SAXException e) {
            throw new AssertionError(file + " is not well-formed XML: " + e.getMessage(), e);
        }
        Element root = document.getDocumentElement();
        assertEquals("testsuite", root.getTagName(), file::toString);
        List<Case> cases = new ArrayList<>();
        NodeList nodes = root.getElementsByTagName("testcase");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element test = (Element) nodes.item(i);
            assertFalse(test.getAttribute("name").isEmpty(), "testcase without name in " + file);
            assertFalse(test.getAttribute("classname").isEmpty(), "testcase without classname in " + file);
            double time = Double.parseDouble(test.getAttribute("time"));
            Element failure = child(test, "failure");
            Element skipped = child(test, "skipped");
            Element out = child(test, "system-out");
            String status = failure != null ? "failed" : skipped != null ? "skipped" : "passed";
            String message = failure != null ? failure.getAttribute("message")
                    : skipped != null ? skipped.getAttribute("message") : "";
            cases.add(new Case(test.getAttribute("name"), test.getAttribute("classname"), time, status, message,
                    failure == null ? "" : failure.getTextContent(), out == null ? "" : out.getTextContent()));
        }
        JUnitReport report = new JUnitReport(root.getAttribute("name"), Integer.parseInt(root.getAttribute("tests")),
                Integer.parseInt(root.getAttribute("failures")), Integer.parseInt(root.getAttribute("skipped")), cases);
        assertEquals(report.tests, cases.size(), "tests attribute of " + file);
        assertEquals(report.failures, cases.stream().filter(c -> c.status.equals("failed")).count(),
                "failures attribute of " + file);
        assertEquals(report.skipped, cases.stream().filter(c -> c.status.equals("skipped")).count(),
                "skipped attribute of " + file);
        assertTrue(Double.parseDouble(root.getAttribute("time")) >= 0, "time attribute of " + file);
        assertEquals("0", root.getAttribute("errors"), "errors attribute of " + file);
        return report;
    }

    Map<String, Case> byName() {
        return cases.stream().collect(Collectors.toMap(Case::name, Function.identity()));
    }

    private static Element child(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e;
            }
        }
        return null;
    }
}
