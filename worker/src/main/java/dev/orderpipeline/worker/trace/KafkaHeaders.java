package dev.orderpipeline.worker.trace;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Reads and writes trace context in a Kafka record's headers. What a sender put there is hostile:
 * a value longer than any valid one is not read at all (the order then starts a new trace), and
 * the W3C propagator checks the format of the rest.
 */
final class KafkaHeaders {

    /**
     * Longer than any valid {@code traceparent} (55 characters) and the W3C limit for
     * {@code tracestate} (512 characters); a longer value is ignored, never parsed.
     */
    static final int MAX_VALUE_BYTES = 1024;

    /** The only keys a propagator asks for here; listing every header of a record would be the sender's choice of work. */
    private static final List<String> KEYS = List.of("traceparent", "tracestate");

    static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
            return KEYS;
        }

        @Override
        public String get(Headers carrier, String key) {
            if (carrier == null) {
                return null;
            }
            Header header = carrier.lastHeader(key);
            if (header == null || header.value() == null || header.value().length > MAX_VALUE_BYTES) {
                return null;
            }
            return new String(header.value(), StandardCharsets.ISO_8859_1);
        }
    };

    /** Replaces a header of the same name, so the record carries one context: the worker's. */
    static final TextMapSetter<Headers> SETTER = (carrier, key, value) -> {
        if (carrier != null) {
            carrier.remove(key);
            carrier.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    };

    private KafkaHeaders() {
    }
}
