package org.neuronsimulator.wheel.publish;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server on 127.0.0.1 that speaks HTTP on a plain socket, for the behaviours an ordinary test server
 * cannot show: answers in the style of Python's wsgiref (pypiserver's default), which says HTTP/1.0 and
 * closes the connection without a {@code Connection: close} header; an endpoint that accepts and never
 * answers; one that answers 200 and then trickles its body one byte at a time.
 */
final class RawHttpServer implements AutoCloseable {

    enum Mode { HTTP10_CLOSE, SILENT, TRICKLE }

    private final ServerSocket socket;
    private final Mode mode;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;

    RawHttpServer(Mode mode) throws IOException {
        this.mode = mode;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "raw-http-" + mode);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String uploadUrl() {
        return "http://127.0.0.1:" + socket.getLocalPort() + "/legacy/";
    }

    int requests() {
        return requests.get();
    }

    int connections() {
        return connections.get();
    }

    private void acceptLoop() {
        try {
            while (true) {
                Socket client = socket.accept();
                connections.incrementAndGet();
                open.add(client);
                Thread t = new Thread(() -> serve(client), "raw-http-conn");
                t.setDaemon(true);
                t.start();
            }
        } catch (IOException closed) {
            // close() ends the loop
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            if (mode == Mode.SILENT) {
                in.transferTo(OutputStream.nullOutputStream()); // read until the client gives up
                return;
            }
            long length = readHeaders(in);
            in.readNBytes((int) Math.max(0, length));
            requests.incrementAndGet();
            if (mode == Mode.HTTP10_CLOSE) {
                out.write("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nOK"
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return; // closes the socket, as an HTTP/1.0 server does
            }
            out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 100_000; i++) {
                out.write('x');
                out.flush();
                Thread.sleep(200);
            }
        } catch (IOException | InterruptedException e) {
            // the client went away
        }
    }

    /** Reads request headers; returns the Content-Length (0 when absent). */
    private static long readHeaders(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long length = 0;
        int previous = -1;
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n' && previous == '\r') {
                String text = line.toString(StandardCharsets.US_ASCII).trim();
                line.reset();
                if (text.isEmpty()) {
                    return length;
                }
                if (text.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Long.parseLong(text.substring(15).trim());
                }
            } else if (c != '\r') {
                line.write(c);
            }
            previous = c;
        }
        return length;
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
