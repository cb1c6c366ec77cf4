package dev.orderpipeline.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The sink counts the spans of OTLP/HTTP requests, as a collector would receive them. */
@Timeout(30)
class TraceSinkTest {

    @Test
    void countsTheSpansOfEveryScopeOfEveryResource_andAnswers200() throws Exception {
        byte[] span = message(1, new byte[16]); // a span with just a trace id
        byte[] scopeOf2 = concat(message(1, new byte[3]), message(2, span), message(2, span));
        byte[] scopeOf1 = concat(message(2, span));
        byte[] resource = concat(message(1, new byte[5]), message(2, scopeOf2), message(2, scopeOf1));
        byte[] request = concat(message(1, resource), message(1, concat(message(2, scopeOf1))));

        try (TraceSink sink = TraceSink.start(); HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(sink.endpoint()))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build(), HttpResponse.BodyHandlers.discarding());
            assertEquals(200, response.statusCode());
            assertEquals(4, sink.spans(), "spans: 2 + 1 in the first resource, 1 in the second");
            assertEquals(1, sink.requests());
        }
        assertEquals(0, TraceSink.countSpans(new byte[] {(byte) 0x0a, (byte) 0x7f}), "cut short: not a request");
    }

    /** Field {@code number}, length-delimited, holding {@code body} (lengths below 128 here). */
    private static byte[] message(int number, byte[] body) {
        return concat(new byte[] {(byte) (number << 3 | 2), (byte) body.length}, body);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
