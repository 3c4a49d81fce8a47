package org.neuronsimulator.wheel.publish;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a multipart/form-data stream part by part, copying each body to a caller's stream without
 * holding it in memory; the test index uses it to receive uploads of any size.
 */
final class MultipartStream {

    /** Headers of one part, lower-cased names. */
    record PartHeaders(Map<String, String> headers, String name, String filename) {
    }

    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buffer = new byte[1 << 17];
    private int pos;
    private int limit;
    private boolean finished;

    MultipartStream(InputStream in, String boundary) throws IOException {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        String first = readLine();
        if (!first.equals("--" + boundary)) {
            throw new IOException("multipart body does not start with its boundary: " + first);
        }
    }

    static String boundaryOf(String contentType) throws IOException {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw new IOException("not multipart/form-data: " + contentType);
        }
        for (String param : contentType.split(";")) {
            String p = param.strip();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = p.substring(9);
                return b.startsWith("\"") && b.endsWith("\"") ? b.substring(1, b.length() - 1) : b;
            }
        }
        throw new IOException("multipart Content-Type without boundary: " + contentType);
    }

    /** The next part's headers, or null after the closing boundary. */
    PartHeaders nextPart() throws IOException {
        if (finished) {
            return null;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while (!(line = readLine()).isEmpty()) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new IOException("bad part header: " + line);
            }
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        String disposition = headers.getOrDefault("content-disposition", "");
        return new PartHeaders(headers, param(disposition, "name"), param(disposition, "filename"));
    }

    private static String param(String header, String key) {
        for (String piece : header.split(";")) {
            String p = piece.strip();
            if (p.startsWith(key + "=")) {
                String v = p.substring(key.length() + 1);
                return v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
            }
        }
        return null;
    }

    /** Copies the current part's body to {@code out} and moves past its closing boundary. */
    long copyBody(OutputStream out) throws IOException {
        long copied = 0;
        while (true) {
            int found = indexOfDelimiter();
            if (found >= 0) {
                out.write(buffer, pos, found - pos);
                copied += found - pos;
                pos = found + delimiter.length;
                String rest = readLine();
                if (rest.equals("--")) {
                    finished = true;
                } else if (!rest.isEmpty()) {
                    throw new IOException("garbage after a part boundary: " + rest);
                }
                return copied;
            }
            int safe = limit - (delimiter.length - 1);
            if (safe > pos) {
                out.write(buffer, pos, safe - pos);
                copied += safe - pos;
                pos = safe;
            }
            if (!fill()) {
                throw new EOFException("multipart body ended inside a part");
            }
        }
    }

    String readText() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        copyBody(bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private int indexOfDelimiter() {
        byte first = delimiter[0];
        outer:
        for (int i = pos; i <= limit - delimiter.length; i++) {
            if (buffer[i] != first) {
                continue;
            }
            for (int j = 1; j < delimiter.length; j++) {
                if (buffer[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            if (pos == limit && !fill()) {
                throw new EOFException("multipart body ended inside a header line");
            }
            byte b = buffer[pos++];
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.UTF_8);
            }
            line.write(b);
        }
    }

    private boolean fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buffer, pos, buffer, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buffer.length) {
            return true;
        }
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n < 0) {
            return false;
        }
        limit += n;
        return true;
    }
}
