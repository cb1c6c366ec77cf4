package dev.orderpipeline.benchmark;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.contract.Simulation;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes valid OrderPlaced records keyed by order id, with one producer per run (no metadata
 * of deleted topics carried over): a backlog before the worker starts, or an
 * open-loop stream at a fixed rate whose createdAt is each order's intended send time.
 */
final class Orders implements AutoCloseable {

    /** Order ids of the latency phase start with this, followed by the intended send time in µs. */
    static final String LATENCY_PREFIX = "lat-";

    private static final OrderCodec codec = new OrderCodec();
    private static final SplittableRandom random = new SplittableRandom(20261127L);
    // Backlog orders, encoded once and reused for every fresh topic: they only need unique ids
    // per topic. Main thread only.
    private static byte[][] cachedKeys = new byte[0][];
    private static byte[][] cachedValues = new byte[0][];

    private final KafkaProducer<byte[], byte[]> producer;

    Orders(String bootstrap) {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                // Off: a producer reused across freshly created topics got stuck retrying
                // OUT_OF_ORDER_SEQUENCE_NUMBER; order within a partition does not matter here.
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                // Big batches for the backlog; the open-loop phase sends at a steady rate anyway,
                // and 1 ms adds at most 1 ms to its measured latency.
                ProducerConfig.LINGER_MS_CONFIG, 1,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
    }

    /** Sends {@code count} orders to {@code topic} and waits until the broker has them all. */
    void preload(String topic, int count, int cacheUpTo) {
        if (count <= cacheUpTo && cachedKeys.length < count) {
            cachedKeys = new byte[count][];
            cachedValues = new byte[count][];
            for (int i = 0; i < count; i++) {
                String id = "ord-" + i;
                cachedKeys[i] = id.getBytes(StandardCharsets.UTF_8);
                cachedValues[i] = encode(id, Instant.now());
            }
        }
        var failure = new AtomicReference<Exception>();
        for (int i = 0; i < count; i++) {
            byte[] key;
            byte[] value;
            if (i < cachedKeys.length) {
                key = cachedKeys[i];
                value = cachedValues[i];
            } else {
                String id = "ord-" + i;
                key = id.getBytes(StandardCharsets.UTF_8);
                value = encode(id, Instant.now());
            }
            producer.send(new ProducerRecord<>(topic, key, value), (md, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                }
            });
        }
        producer.flush();
        if (failure.get() != null) {
            throw new IllegalStateException("preloading " + topic + " failed: " + failure.get(), failure.get());
        }
    }

    /**
     * Sends {@code count} orders at {@code perSecond}, open loop: each order has an intended send
     * time on a fixed schedule, carried in its createdAt and id; when the sender falls behind it
     * sends late orders at once, so their wait counts in the latency (no coordinated omission).
     */
    void openLoop(String topic, double perSecond, long count) {
        long startNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        Instant startWall = Instant.now().plusMillis(50);
        long startMicros = startWall.getEpochSecond() * 1_000_000L + startWall.getNano() / 1_000;
        double intervalNanos = 1e9 / perSecond;
        for (long i = 0; i < count; i++) {
            long offsetNanos = (long) (i * intervalNanos);
            long wait = startNanos + offsetNanos - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            long intendedMicros = startMicros + offsetNanos / 1_000;
            String id = LATENCY_PREFIX + intendedMicros + "-" + i;
            Instant createdAt = Instant.ofEpochSecond(0, intendedMicros * 1_000);
            producer.send(new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8), encode(id, createdAt)));
        }
        producer.flush();
    }

    /** The intended send time in epoch µs of a latency-phase order id, or -1 for other ids. */
    static long intendedMicros(String orderId) {
        if (!orderId.startsWith(LATENCY_PREFIX)) {
            return -1;
        }
        int dash = orderId.indexOf('-', LATENCY_PREFIX.length());
        return Long.parseLong(orderId.substring(LATENCY_PREFIX.length(), dash));
    }

    private static byte[] encode(String id, Instant createdAt) {
        return codec.encode(SampleOrders.order(id, createdAt, Simulation.NONE, random));
    }

    @Override
    public void close() {
        producer.close();
    }
}
