package dev.orderpipeline.worker.it;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A Kafka client interceptor (installed with {@code --kafka interceptor.classes=...}) that makes
 * the first outcome for one order id larger than the producer may send. The producer fails that
 * send with a {@code RecordTooLargeException}, which in a transaction is an abortable error: the
 * real producer then refuses to commit, and the worker must abort and rewind. Which order:
 * the client property {@value #KEY}. It is a consumer interceptor too, doing nothing, because
 * the worker gives its Kafka properties to both clients.
 */
public final class OversizeOnce implements ProducerInterceptor<byte[], byte[]>, ConsumerInterceptor<byte[], byte[]> {

    static final String KEY = "test.oversize-once.order-id";

    private final AtomicBoolean fired = new AtomicBoolean();
    private byte[] orderId;

    @Override
    public void configure(Map<String, ?> configs) {
        Object id = configs.get(KEY);
        orderId = id == null ? null : id.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public ProducerRecord<byte[], byte[]> onSend(ProducerRecord<byte[], byte[]> record) {
        if (orderId == null || !Arrays.equals(orderId, record.key()) || record.topic().endsWith("-dlt")
                || !fired.compareAndSet(false, true)) {
            return record;
        }
        byte[] huge = new byte[3 * 1024 * 1024]; // above the worker's max.request.size of 2 MB
        return new ProducerRecord<>(record.topic(), record.partition(), record.key(), huge, record.headers());
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
    }

    @Override
    public ConsumerRecords<byte[], byte[]> onConsume(ConsumerRecords<byte[], byte[]> records) {
        return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    }

    @Override
    public void close() {
    }
}
