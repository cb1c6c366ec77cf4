package dev.orderpipeline.cli.kafka;

import dev.orderpipeline.contract.DeadLetterHeaders;
import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.OrderOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;

/**
 * Reads the results and dead-letter topics from their current end onwards and hands each record
 * to a {@link ResultListener}. It has no consumer group: it assigns every partition itself, so it
 * sees all answers and leaves nothing behind on the cluster.
 *
 * <p>{@link #start} returns only once every partition's end offset is fixed, so whatever is sent
 * afterwards cannot be missed. {@link #catchUp} waits until everything already on the topics
 * has been handed over. Only the poll thread touches the Kafka consumer; {@link #catchUp} asks it
 * through a future, and {@link #close} reaches it through {@code wakeup()}, the one call Kafka
 * allows from elsewhere.
 */
public final class ResultConsumer implements AutoCloseable {

    // Short, because a catch-up request is only picked up between polls.
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    /** How long close() waits for the poll thread; it is a daemon, so it cannot keep the JVM alive. */
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaConnection connection;
    private final List<TopicPartition> assignment;
    private final String resultsTopic;
    private final ResultListener listener;
    private final Clock clock;
    private final Thread pollThread;
    private final CountDownLatch ready = new CountDownLatch(1);
    // Written by the poll thread before `ready` opens, read by start() after it opens.
    private final AtomicReference<Exception> startFailure = new AtomicReference<>();
    // Written once by the poll thread; read by close() for wakeup().
    private volatile Consumer<String, byte[]> consumer;
    // Written by close(), read by the poll thread.
    private volatile boolean closing;
    // Set by catchUp(), taken by the poll thread; completed with true once caught up.
    private final AtomicReference<CompletableFuture<Boolean>> catchUpRequest = new AtomicReference<>();

    private ResultConsumer(KafkaConnection connection, List<TopicPartition> assignment, String resultsTopic,
            ResultListener listener, Clock clock) {
        this.connection = connection;
        this.assignment = List.copyOf(assignment);
        this.resultsTopic = resultsTopic;
        this.listener = listener;
        this.clock = clock;
        this.pollThread = Thread.ofPlatform().name("order-cli-results").daemon(true).unstarted(this::pollLoop);
    }

    /**
     * Starts reading at the current end of every partition of both topics.
     *
     * @param partitions the partition count of each topic (from {@link ClusterCheck})
     * @throws BrokerUnavailableException when the end offsets cannot be fetched within the
     *                                    connect timeout
     */
    public static ResultConsumer start(KafkaConnection connection, String resultsTopic, String deadLetterTopic,
            Map<String, Integer> partitions, ResultListener listener, Clock clock)
            throws BrokerUnavailableException, InterruptedException {
        List<TopicPartition> assignment = new ArrayList<>();
        for (String topic : List.of(resultsTopic, deadLetterTopic)) {
            for (int p = 0; p < partitions.get(topic); p++) {
                assignment.add(new TopicPartition(topic, p));
            }
        }
        ResultConsumer results = new ResultConsumer(connection, assignment, resultsTopic, listener, clock);
        results.pollThread.start();
        // Creating the consumer and fixing the offsets may each take up to one connect timeout.
        boolean started = results.ready.await(connection.connectTimeout().toMillis() * 2 + 1000, TimeUnit.MILLISECONDS);
        Exception failure = results.startFailure.get();
        if (!started || failure != null) {
            results.close();
            if (failure instanceof BrokerUnavailableException unavailable) {
                throw unavailable;
            }
            throw new BrokerUnavailableException("cannot read the end offsets of " + resultsTopic + " and "
                    + deadLetterTopic + " from Kafka at " + connection.bootstrapServers() + " within "
                    + connection.connectTimeoutText() + (failure == null ? "" : ": " + failure.getMessage()), failure);
        }
        return results;
    }

    /**
     * Waits until the listener has been handed every record that is on the topics now: fetches
     * the end offsets of every partition (for {@code read_committed}, the last stable offsets)
     * and waits until the consumer has read up to them. Records written later are not waited for.
     *
     * @return true if caught up within {@code grace}; false if not, or if reading has stopped
     */
    public boolean catchUp(Duration grace) throws InterruptedException {
        if (grace.isZero() || grace.isNegative() || closing || !pollThread.isAlive()) {
            return false;
        }
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        catchUpRequest.set(done);
        try {
            return done.get(grace.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } finally {
            catchUpRequest.compareAndSet(done, null);
        }
    }

    private void pollLoop() {
        OrderCodec codec = new OrderCodec();
        // The catch-up being worked on, and the end offsets it waits for; poll thread only.
        CompletableFuture<Boolean> catchingUp = null;
        Map<TopicPartition, Long> catchUpTo = null;
        try (Consumer<String, byte[]> c = new KafkaConsumer<>(KafkaClients.consumer(connection))) {
            consumer = c;
            c.assign(assignment);
            c.seekToEnd(assignment);
            // seekToEnd is lazy: position() fixes the offsets now, before anything is sent.
            for (TopicPartition partition : assignment) {
                c.position(partition, connection.connectTimeout());
            }
            ready.countDown();
            while (!closing) {
                if (catchingUp == null) {
                    CompletableFuture<Boolean> request = catchUpRequest.getAndSet(null);
                    if (request != null) {
                        try {
                            catchUpTo = c.endOffsets(assignment, connection.connectTimeout());
                            catchingUp = request;
                        } catch (WakeupException e) {
                            request.complete(false);
                            throw e;
                        } catch (KafkaException e) {
                            // Not being able to catch up costs only completeness, not the run.
                            request.completeExceptionally(e);
                        }
                    }
                }
                // Every record below these positions has been handed to the listener already.
                if (catchingUp != null && EndOffsets.reached(catchUpTo, c::position)) {
                    catchingUp.complete(true);
                    catchingUp = null;
                    catchUpTo = null;
                }
                ConsumerRecords<String, byte[]> records = c.poll(POLL_TIMEOUT);
                Instant readAt = clock.instant();
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (record.topic().equals(resultsTopic)) {
                        deliverOutcome(record, codec, listener, readAt);
                    } else {
                        listener.onDeadLetter(record.key(), header(record, DeadLetterHeaders.PROBLEM), readAt);
                    }
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop.
        } catch (KafkaException e) {
            fail(new BrokerUnavailableException("reading " + resultsTopic + " from Kafka at "
                    + connection.bootstrapServers() + " failed: " + e.getMessage(), e));
        } catch (RuntimeException e) {
            // A bug, in the listener or here: end the wait now rather than let it run into the timeout.
            fail(e);
        } finally {
            ready.countDown();
            if (catchingUp != null) {
                catchingUp.complete(false);
            }
            CompletableFuture<Boolean> request = catchUpRequest.getAndSet(null);
            if (request != null) {
                request.complete(false);
            }
        }
    }

    private void fail(Exception error) {
        if (ready.getCount() > 0) {
            startFailure.set(error);
        } else if (!closing) {
            listener.onConsumerFailure(error);
        }
    }

    private static void deliverOutcome(ConsumerRecord<String, byte[]> record, OrderCodec codec,
            ResultListener listener, Instant readAt) {
        if (record.value() == null) {
            listener.onUnreadableOutcome(record.key(), "null value", readAt);
            return;
        }
        OrderOutcome outcome;
        try {
            outcome = codec.decodeOutcome(record.value());
        } catch (IllegalArgumentException e) {
            listener.onUnreadableOutcome(record.key(), e.getMessage(), readAt);
            return;
        }
        listener.onOutcome(outcome, readAt);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /**
     * Stops the poll thread and closes the consumer; safe to call more than once. If interrupted
     * while waiting for the poll thread, it returns at once with the interrupt flag set.
     */
    @Override
    public void close() {
        closing = true;
        Consumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            pollThread.join(JOIN_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
