package dev.orderpipeline.cli.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One record as read from a topic, without Kafka types, so that commands and reports can work
 * with it outside this package.
 *
 * @param key       the key as UTF-8 text, or {@code null}
 * @param value     the value bytes, or {@code null} for a tombstone
 * @param headers   every header in record order, repeats included
 * @param timestamp the record's timestamp
 */
public record TopicRecord(String topic, int partition, long offset, Instant timestamp, String key, byte[] value,
        List<Header> headers) {

    /** A record header; {@code value} may be {@code null}. */
    public record Header(String name, byte[] value) {

        /** The value as UTF-8 text, or {@code null}. */
        public String text() {
            return value == null ? null : new String(value, StandardCharsets.UTF_8);
        }
    }

    public TopicRecord {
        headers = List.copyOf(headers);
    }

    /** The last header called {@code name} as UTF-8 text, as Kafka's {@code lastHeader} picks it. */
    public Optional<String> header(String name) {
        for (int i = headers.size() - 1; i >= 0; i--) {
            if (headers.get(i).name().equals(name)) {
                return Optional.ofNullable(headers.get(i).text());
            }
        }
        return Optional.empty();
    }

    /** {@code topic/partition/offset}, the record's address. */
    public String address() {
        return topic + "/" + partition + "/" + offset;
    }
}
