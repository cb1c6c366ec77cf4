package dev.orderpipeline.cli.kafka;

import dev.orderpipeline.cli.orders.OutgoingOrder;
import dev.orderpipeline.cli.orders.Scenario;
import dev.orderpipeline.cli.pacing.Pacer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Sends orders and waits for every acknowledgement. Each order's {@code createdAt} is stamped
 * just before it is handed to the producer: with the clock, or with its due time when paced.
 * Sending stops at the first record the cluster refuses for good: the idempotent producer fails
 * everything after it anyway, and a user would rather see the cause at once than after each
 * remaining record's timeout.
 *
 * <p>Use from one thread; {@link Observer#failed} may also run on the producer's I/O thread.
 */
public final class OrderSender implements AutoCloseable {

    /** What the sender tells its caller while it works. */
    public interface Observer {
        /** On the sending thread, just before the record is handed to the producer. */
        default void sending(OutgoingOrder order, Instant createdAt) {
        }

        /**
         * When the record is refused for good: on the producer's I/O thread, or on the sending
         * thread when send() itself gives up (no metadata within max.block.ms).
         */
        default void failed(OutgoingOrder order, Exception error) {
        }

        /** On the sending thread, after each record is handed over, and after the final flush. */
        default void progress(long sent, long acked, long failed) {
        }
    }

    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private final Producer<String, byte[]> producer;
    private final Clock clock;

    private OrderSender(Producer<String, byte[]> producer, Clock clock) {
        this.producer = producer;
        this.clock = clock;
    }

    public static OrderSender open(KafkaConnection connection, Clock clock) throws BrokerUnavailableException {
        try {
            return new OrderSender(new KafkaProducer<>(KafkaClients.producer(connection)), clock);
        } catch (KafkaException e) {
            throw new BrokerUnavailableException("cannot create a producer for Kafka at "
                    + connection.bootstrapServers() + ": " + e.getMessage() + " (check --client-config)", e);
        }
    }

    /** Sends every order of {@code orders} to {@code topic} and returns once each is acked or failed. */
    public SendResult sendAll(Iterable<OutgoingOrder> orders, long planned, String topic, Observer observer)
            throws InterruptedException {
        return sendAll(orders, planned, topic, observer, Pacer.unpaced(clock));
    }

    /**
     * Like {@link #sendAll(Iterable, long, String, Observer)}, sending each order when
     * {@code pacer} says and stamping its {@code createdAt} with the due time the pacer returns.
     */
    public SendResult sendAll(Iterable<OutgoingOrder> orders, long planned, String topic, Observer observer,
            Pacer pacer) throws InterruptedException {
        Acks acks = new Acks();
        Map<Scenario, Long> byScenario = new EnumMap<>(Scenario.class);
        long sent = 0;
        Instant start = clock.instant();
        try {
            for (OutgoingOrder order : orders) {
                if (acks.firstError.get() != null) {
                    break;
                }
                Instant createdAt = pacer.awaitNext();
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, order.key(), order.value(createdAt));
                observer.sending(order, createdAt);
                producer.send(record, acks.callback(error -> observer.failed(order, error)));
                sent++;
                byScenario.merge(order.scenario(), 1L, Long::sum);
                observer.progress(sent, acks.acked.get(), acks.failed.get());
            }
            producer.flush();
        } catch (InterruptException e) {
            throw interrupted(e, topic);
        }
        observer.progress(sent, acks.acked.get(), acks.failed.get());
        return acks.result(planned, sent, Duration.between(start, clock.instant()), byScenario);
    }

    /**
     * Sends records as they are, key, value and headers, and returns once each is acked or
     * failed; stops at the first failure like {@link #sendAll}.
     */
    public SendResult sendRecords(List<OutgoingRecord> records) throws InterruptedException {
        Acks acks = new Acks();
        long sent = 0;
        Instant start = clock.instant();
        String topics = records.stream().map(OutgoingRecord::topic).distinct().collect(Collectors.joining(", "));
        try {
            for (OutgoingRecord r : records) {
                if (acks.firstError.get() != null) {
                    break;
                }
                List<Header> headers = r.headers().stream()
                        .<Header>map(h -> new RecordHeader(h.name(), h.value())).toList();
                producer.send(new ProducerRecord<>(r.topic(), null, r.key(), r.value(), headers),
                        acks.callback(error -> { }));
                sent++;
            }
            producer.flush();
        } catch (InterruptException e) {
            throw interrupted(e, topics);
        }
        return acks.result(records.size(), sent, Duration.between(start, clock.instant()), Map.of());
    }

    /** A record to send byte for byte. */
    public record OutgoingRecord(String topic, String key, byte[] value, List<TopicRecord.Header> headers) {
        public OutgoingRecord {
            headers = List.copyOf(headers);
        }
    }

    /** Kafka's unchecked twin of InterruptedException sets the flag again; the checked one we throw carries it. */
    private static InterruptedException interrupted(InterruptException e, String topic) {
        Thread.interrupted();
        InterruptedException interrupted = new InterruptedException("interrupted while sending to " + topic);
        interrupted.initCause(e);
        return interrupted;
    }

    /** The acknowledgements of one send. Written by the producer's I/O thread, read by the sending thread. */
    private static final class Acks {
        final AtomicLong acked = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicReference<Exception> firstError = new AtomicReference<>();

        Callback callback(Consumer<Exception> onFailure) {
            return (metadata, error) -> {
                if (error == null) {
                    acked.incrementAndGet();
                } else {
                    firstError.compareAndSet(null, error);
                    failed.incrementAndGet();
                    onFailure.accept(error);
                }
            };
        }

        SendResult result(long planned, long sent, Duration elapsed, Map<Scenario, Long> byScenario) {
            return new SendResult(planned, sent, acked.get(), failed.get(),
                    Optional.ofNullable(firstError.get()).map(e -> e.getClass().getSimpleName() + ": " + e.getMessage()),
                    elapsed, byScenario);
        }
    }

    @Override
    public void close() {
        producer.close(CLOSE_GRACE);
    }
}
