package org.neuronsimulator.wheel.publish;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongConsumer;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.RequestBody;
import okio.BufferedSink;

/**
 * The multipart/form-data body of an {@link UploadForm}, made by OkHttp's {@link MultipartBody}: the
 * fields in order, then the file as part {@code content}, streamed from disk so that memory stays at
 * one buffer whatever the file size. Every part's length is known, so the request carries a
 * Content-Length like twine's. The body can be written again for a retry.
 */
final class UploadBody {

    private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");

    private UploadBody() {
    }

    /** @param progress told the bytes of the file sent so far */
    static MultipartBody of(UploadForm form, long fileSize, LongConsumer progress) {
        MultipartBody.Builder body = new MultipartBody.Builder().setType(MultipartBody.FORM);
        for (UploadForm.Field field : form.fields()) {
            body.addFormDataPart(field.name(), field.value());
        }
        body.addFormDataPart("content", form.filename(), new FileContent(form.file(), fileSize, progress));
        return body.build();
    }

    /** The file, read each time the body is written; a file that changed size fails the request. */
    private static final class FileContent extends RequestBody {
        private static final int CHUNK = 256 * 1024;

        private final Path file;
        private final long size;
        private final LongConsumer progress;

        FileContent(Path file, long size, LongConsumer progress) {
            this.file = file;
            this.size = size;
            this.progress = progress;
        }

        @Override
        public MediaType contentType() {
            return OCTET_STREAM;
        }

        @Override
        public long contentLength() {
            return size;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            long sent = 0;
            byte[] buffer = new byte[CHUNK];
            try (InputStream in = Files.newInputStream(file)) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    if (sent + n > size) {
                        throw new IOException(file + " grew while it was being uploaded");
                    }
                    sink.write(buffer, 0, n);
                    sent += n;
                    progress.accept(sent);
                }
            }
            if (sent != size) {
                throw new IOException(file + " changed size while it was being uploaded (" + sent + " of " + size + " bytes)");
            }
        }
    }
}
