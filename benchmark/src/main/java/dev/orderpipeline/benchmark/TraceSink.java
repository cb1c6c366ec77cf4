package dev.orderpipeline.benchmark;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for a trace collector: answers 200 to every OTLP/HTTP {@code POST /v1/traces} and
 * counts the spans it received, so a traced workload pays for real exports without a collector
 * on the machine. Spans are counted by walking the protobuf request
 * (ExportTraceServiceRequest -> resource_spans(1) -> scope_spans(2) -> spans(2)). Thread-safe.
 */
final class TraceSink implements AutoCloseable {

    private final HttpServer server;
    private final AtomicLong spans = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();

    private TraceSink(HttpServer server) {
        this.server = server;
    }

    /** Listens on a free port of the loopback address. */
    static TraceSink start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        TraceSink sink = new TraceSink(server);
        server.createContext("/v1/traces", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                byte[] bytes = body.readAllBytes();
                sink.requests.incrementAndGet();
                sink.spans.addAndGet(countSpans(bytes));
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
            } finally {
                exchange.close();
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return sink;
    }

    /** The endpoint for {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    long spans() {
        return spans.get();
    }

    long requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Spans in an ExportTraceServiceRequest; 0 for bytes that are not one. */
    static long countSpans(byte[] request) {
        try {
            long count = 0;
            for (Field resourceSpans : new Fields(request, 0, request.length).all(1)) {
                for (Field scopeSpans : new Fields(request, resourceSpans.start, resourceSpans.end).all(2)) {
                    count += new Fields(request, scopeSpans.start, scopeSpans.end).all(2).size();
                }
            }
            return count;
        } catch (IndexOutOfBoundsException e) {
            return 0;
        }
    }

    /** A length-delimited field's bytes. */
    private record Field(int start, int end) {
    }

    /** The fields of one protobuf message in {@code bytes[start, end)}. */
    private record Fields(byte[] bytes, int start, int end) {

        /** The length-delimited fields numbered {@code number}, skipping the rest. */
        java.util.List<Field> all(int number) {
            java.util.List<Field> found = new java.util.ArrayList<>();
            int[] at = {start};
            while (at[0] < end) {
                long key = varint(at);
                int wireType = (int) (key & 7);
                switch (wireType) {
                    case 0 -> varint(at);
                    case 1 -> at[0] += 8;
                    case 5 -> at[0] += 4;
                    case 2 -> {
                        int length = (int) varint(at);
                        if ((key >>> 3) == number) {
                            found.add(new Field(at[0], at[0] + length));
                        }
                        at[0] += length;
                    }
                    default -> throw new IndexOutOfBoundsException("wire type " + wireType);
                }
            }
            return found;
        }

        private long varint(int[] at) {
            long value = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = bytes[at[0]++];
                value |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return value;
                }
            }
        }
    }
}
