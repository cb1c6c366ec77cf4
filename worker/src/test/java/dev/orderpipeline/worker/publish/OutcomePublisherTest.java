package dev.orderpipeline.worker.publish;

import dev.orderpipeline.worker.trace.TraceHeaders;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.DeadLetterHeaders;
import dev.orderpipeline.contract.DecodedOrder;
import dev.orderpipeline.contract.OrderCodec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class OutcomePublisherTest {

    private static final int LIMIT = 1_048_588;
    private static final DecodedOrder.Invalid OVERSIZED =
            new DecodedOrder.Invalid(DecodedOrder.Problem.OVERSIZED, "too large", Optional.empty());

    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final OutcomePublisher publisher = new OutcomePublisher(producer, new OrderCodec(), "results", "orders-dlt",
            "w1", Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC), LIMIT,
            TraceHeaders.OFF);

    private static ConsumerRecord<byte[], byte[]> source(int valueBytes) {
        byte[] value = new byte[valueBytes];
        Arrays.fill(value, (byte) 'x');
        return new ConsumerRecord<>("orders", 2, 77, "o-1".getBytes(StandardCharsets.UTF_8), value);
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The one send is already cut: no send the broker would refuse, so no transaction made abortable. */
    @Test
    void deadLetterLargerThanTheLimit_isCutBeforeSending_andMarked() throws Exception {
        publisher.deadLetter(source(1_500_000), OVERSIZED);

        assertEquals(1, producer.history().size(), "sends");
        ProducerRecord<byte[], byte[]> sent = producer.history().getFirst();
        assertEquals(OutcomePublisher.TRUNCATED_VALUE_BYTES, sent.value().length);
        assertEquals("true", header(sent, DeadLetterHeaders.VALUE_TRUNCATED));
        assertEquals("1500000", header(sent, DeadLetterHeaders.ORIGINAL_VALUE_SIZE));
        assertEquals("77", header(sent, DeadLetterHeaders.ORIGINAL_OFFSET));
        assertTrue(OutcomePublisher.sizeUpperBound(sent) <= LIMIT);
    }

    /** Just under the limit with its headers: sent whole. Just over: cut. */
    @Test
    void deadLetterThatFitsWithItsHeaders_isSentWhole() throws Exception {
        publisher.deadLetter(source(1_000), OVERSIZED);
        long overhead = OutcomePublisher.sizeUpperBound(producer.history().getFirst()) - 1_000;
        int fits = (int) (LIMIT - overhead);

        publisher.deadLetter(source(fits), OVERSIZED);
        publisher.deadLetter(source(fits + 1), OVERSIZED);

        ProducerRecord<byte[], byte[]> whole = producer.history().get(1);
        assertEquals(fits, whole.value().length);
        assertNull(header(whole, DeadLetterHeaders.VALUE_TRUNCATED));
        ProducerRecord<byte[], byte[]> cut = producer.history().get(2);
        assertEquals(OutcomePublisher.TRUNCATED_VALUE_BYTES, cut.value().length);
        assertEquals(Integer.toString(fits + 1), header(cut, DeadLetterHeaders.ORIGINAL_VALUE_SIZE));
    }

    /** The estimate is an upper bound of what the record takes on the wire. */
    @Test
    void sizeUpperBound_isAtLeastTheProducersOwnEstimate() {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("t", null, "k".getBytes(StandardCharsets.UTF_8),
                new byte[5_000], new org.apache.kafka.common.header.internals.RecordHeaders()
                        .add("h1", "v".repeat(300).getBytes(StandardCharsets.UTF_8)).add("h2", null));
        int kafka = org.apache.kafka.common.record.internal.AbstractRecords.estimateSizeInBytesUpperBound(
                org.apache.kafka.common.record.internal.RecordBatch.CURRENT_MAGIC_VALUE,
                org.apache.kafka.common.record.internal.CompressionType.NONE, record.key(), record.value(),
                record.headers().toArray());
        assertTrue(OutcomePublisher.sizeUpperBound(record) >= kafka,
                () -> "estimate " + OutcomePublisher.sizeUpperBound(record) + " below Kafka's " + kafka);
    }
}
