package dev.orderpipeline.cli.kafka;

import dev.orderpipeline.cli.orders.OutgoingOrder;
import dev.orderpipeline.cli.orders.Scenario;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;

/**
 * Sends orders and waits for every acknowledgement. Each order's {@code createdAt} is stamped
 * from the clock just before it is handed to the producer. Sending stops at the first record the
 * cluster refuses for good: the idempotent producer fails everything after it anyway, and a user
 * would rather see the cause at once than after each remaining record's timeout.
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
        // Written by the producer's I/O thread, read by this one.
        AtomicLong acked = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<Exception> firstError = new AtomicReference<>();
        Map<Scenario, Long> byScenario = new EnumMap<>(Scenario.class);
        long sent = 0;
        Instant start = clock.instant();
        try {
            for (OutgoingOrder order : orders) {
                if (firstError.get() != null) {
                    break;
                }
                Instant createdAt = clock.instant();
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, order.key(), order.value(createdAt));
                observer.sending(order, createdAt);
                producer.send(record, (metadata, error) -> {
                    if (error == null) {
                        acked.incrementAndGet();
                    } else {
                        firstError.compareAndSet(null, error);
                        failed.incrementAndGet();
                        observer.failed(order, error);
                    }
                });
                sent++;
                byScenario.merge(order.scenario(), 1L, Long::sum);
                observer.progress(sent, acked.get(), failed.get());
            }
            producer.flush();
        } catch (InterruptException e) {
            // Kafka's unchecked twin of InterruptedException sets the flag again; the checked one
            // we throw instead carries the interrupt, so clear it.
            Thread.interrupted();
            InterruptedException interrupted = new InterruptedException("interrupted while sending to " + topic);
            interrupted.initCause(e);
            throw interrupted;
        }
        observer.progress(sent, acked.get(), failed.get());
        return new SendResult(planned, sent, acked.get(), failed.get(),
                Optional.ofNullable(firstError.get()).map(e -> e.getClass().getSimpleName() + ": " + e.getMessage()),
                Duration.between(start, clock.instant()), byScenario);
    }

    @Override
    public void close() {
        producer.close(CLOSE_GRACE);
    }
}
