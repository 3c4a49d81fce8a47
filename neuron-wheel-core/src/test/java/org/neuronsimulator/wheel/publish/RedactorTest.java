package org.neuronsimulator.wheel.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RedactorTest {

    @Test
    void masksShortSecrets() {
        Redactor redactor = Redactor.of("p4$");
        assertEquals("password ******** refused", redactor.redact("password p4$ refused"));
    }

    @Test
    void masksTheEscapedFormsAServerMayEcho() {
        String secret = "a<b>&\"c' d/e+f";
        Redactor redactor = Redactor.of(secret);
        String html = "a&lt;b&gt;&amp;&quot;c&#39; d/e+f";
        String htmlHex = "a&lt;b&gt;&amp;&quot;c&#x27; d/e+f";
        String url = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        String json = "a<b>&\\\"c' d\\/e+f";
        for (String echoed : new String[] {secret, html, htmlHex, url, url.replace("+", "%20"), json}) {
            String line = "<p>invalid token " + echoed + "</p>";
            assertEquals("<p>invalid token " + Redactor.MASK + "</p>", redactor.redact(line), echoed);
        }
    }

    @Test
    void masksTheSecretInsideAnyLongerBase64Text() {
        String secret = "pypi-AgEIcHlwaS5vcmc";
        Redactor redactor = Redactor.of(secret);
        for (String before : new String[] {"", "u", "us", "user:", "__token__:"}) {
            for (String after : new String[] {"", "x", "xy", "\n"}) {
                byte[] whole = (before + secret + after).getBytes(StandardCharsets.UTF_8);
                for (Base64.Encoder encoder : new Base64.Encoder[] {Base64.getEncoder(), Base64.getUrlEncoder()}) {
                    String encoded = encoder.encodeToString(whole);
                    String redacted = redactor.redact(encoded);
                    // All but the at most two characters at each end that share bits with the neighbours are gone.
                    int secretChars = secret.length() * 4 / 3;
                    assertTrue(redacted.contains(Redactor.MASK), redacted);
                    assertTrue(redacted.length() - Redactor.MASK.length() <= encoded.length() - (secretChars - 4),
                            encoded + " -> " + redacted);
                }
            }
        }
    }

    @Test
    void masksTheLongerOfTwoOverlappingSecretsWhole() {
        Redactor redactor = Redactor.of("abcd", "abcdefgh");
        assertEquals("x ******** y", redactor.redact("x abcdefgh y"));
    }

    @Test
    void leavesTextAloneWithoutSecrets() {
        assertEquals("nothing to hide", Redactor.of("", null).redact("nothing to hide"));
    }
}
