package org.neuronsimulator.wheel.publish;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.LongConsumer;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;

/**
 * A multipart/form-data body for an {@link UploadForm}, written straight from disk: memory stays at
 * one buffer whatever the file size. The exact length is known beforehand, so the request carries a
 * Content-Length like twine's. It can be written again for a retry.
 */
final class MultipartBody extends RequestBody {

    private static final int CHUNK = 256 * 1024;

    private final UploadForm form;
    private final String boundary;
    private final byte[] head;
    private final byte[] tail;
    private final long fileSize;
    private final LongConsumer progress;

    MultipartBody(UploadForm form, long fileSize, LongConsumer progress) {
        this.form = form;
        this.fileSize = fileSize;
        this.progress = progress;
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        this.boundary = HexFormat.of().formatHex(random);
        StringBuilder text = new StringBuilder();
        for (UploadForm.Field field : form.fields()) {
            text.append("--").append(boundary).append("\r\n")
                    .append("Content-Disposition: form-data; name=\"").append(quote(field.name())).append("\"\r\n\r\n")
                    .append(field.value()).append("\r\n");
        }
        text.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"content\"; filename=\"")
                .append(quote(form.filename())).append("\"\r\n")
                .append("Content-Type: application/octet-stream\r\n\r\n");
        this.head = text.toString().getBytes(StandardCharsets.UTF_8);
        this.tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Quotes as HTML5 form submission does: only the quote and line breaks are escaped. */
    private static String quote(String s) {
        return s.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
    }

    @Override
    public MediaType contentType() {
        return MediaType.get("multipart/form-data; boundary=" + boundary);
    }

    @Override
    public long contentLength() {
        return head.length + fileSize + tail.length;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
        sink.write(head);
        long sent = 0;
        byte[] buffer = new byte[CHUNK];
        try (InputStream in = Files.newInputStream(form.file())) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (sent + n > fileSize) {
                    throw new IOException(form.file() + " grew while it was being uploaded");
                }
                sink.write(buffer, 0, n);
                sent += n;
                progress.accept(sent);
            }
        }
        if (sent != fileSize) {
            throw new IOException(form.file() + " changed size while it was being uploaded (" + sent + " of " + fileSize + " bytes)");
        }
        sink.write(tail);
    }
}
