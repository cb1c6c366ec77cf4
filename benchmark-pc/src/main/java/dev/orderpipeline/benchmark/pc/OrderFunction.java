package dev.orderpipeline.benchmark.pc;

import dev.orderpipeline.contract.DecodedOrder;
import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.worker.observe.WorkerMetrics;
import dev.orderpipeline.worker.pipeline.OrderPipeline;
import dev.orderpipeline.worker.publish.OrderHandler;
import dev.orderpipeline.worker.publish.OutcomePublisher;
import io.confluent.parallelconsumer.PollContext;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Parallel Consumer's user function: one {@code orders} record to the records that answer it,
 * doing what the worker's {@link OrderHandler} does minus its Kafka plumbing. It decodes with
 * the worker's codec, key rules and size cap; runs the worker's {@link OrderPipeline}; and builds
 * the outcome (keyed by order id, the same {@code receivedAt}/{@code completedAt} stamps) or
 * the dead letter (the same headers, plus the {@code rejected} outcome when the order id is
 * readable) with the worker's own {@link OutcomePublisher}. Parallel Consumer sends what it
 * returns, waits for the acks, and only then counts the offset as done.
 *
 * <p>What the worker also does and this does not: log a line per order that did not succeed or
 * was dead-lettered, and trace. The per-order meters are kept, so the CPU per order is the
 * worker's.
 *
 * <p>Thread-safe: Parallel Consumer calls it from its pool of {@code maxConcurrency} platform
 * threads at once; the counts are adders any thread may bump and the main thread reads at the end.
 */
final class OrderFunction implements Function<PollContext<byte[], byte[]>, List<ProducerRecord<byte[], byte[]>>> {

    private final OrderCodec codec;
    private final OrderPipeline pipeline;
    private final OutcomePublisher records;
    private final WorkerMetrics metrics;
    private final Clock clock;

    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    // Every class present from the start, so that pool threads only bump adders.
    private final Map<ErrorClass, LongAdder> failedBy = new EnumMap<>(ErrorClass.class);

    /** @param records builds the outcome and dead-letter records; its own sending is not used */
    OrderFunction(OrderCodec codec, OrderPipeline pipeline, OutcomePublisher records, WorkerMetrics metrics, Clock clock) {
        this.codec = codec;
        this.pipeline = pipeline;
        this.records = records;
        this.metrics = metrics;
        this.clock = clock;
        for (ErrorClass errorClass : ErrorClass.values()) {
            failedBy.put(errorClass, new LongAdder());
        }
    }

    /**
     * @throws Interrupted if the calling thread is interrupted while the steps run (Parallel
     *                     Consumer is closing without draining); its flag stays set, and
     *                     Parallel Consumer leaves the record uncommitted
     */
    @Override
    public List<ProducerRecord<byte[], byte[]>> apply(PollContext<byte[], byte[]> context) {
        ConsumerRecord<byte[], byte[]> record = context.getSingleConsumerRecord();
        Instant receivedAt = clock.instant();
        return switch (OrderHandler.decode(codec, record)) {
            case DecodedOrder.Valid valid -> List.of(outcome(run(valid, receivedAt)));
            case DecodedOrder.Invalid invalid -> {
                metrics.deadLetter(invalid.problem());
                deadLettered.increment();
                ProducerRecord<byte[], byte[]> deadLetter = records.deadLetterRecord(record, invalid);
                // Whoever placed the order waits for an outcome by id: answered, as the worker does.
                yield invalid.orderId()
                        .map(id -> List.of(deadLetter, outcome(pipeline.rejected(id, invalid.reason(), null, receivedAt))))
                        .orElse(List.of(deadLetter));
            }
        };
    }

    private OrderOutcome run(DecodedOrder.Valid valid, Instant receivedAt) {
        OrderOutcome outcome;
        try {
            outcome = pipeline.process(valid.order(), receivedAt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Interrupted(e);
        }
        switch (outcome.status()) {
            case SUCCEEDED -> succeeded.increment();
            // process() rejects nothing: an invalid order never reaches it.
            case FAILED, REJECTED -> {
                failed.increment();
                failedBy.get(outcome.errorClass()).increment();
            }
        }
        return outcome;
    }

    private ProducerRecord<byte[], byte[]> outcome(OrderOutcome outcome) {
        metrics.outcome(outcome);
        return records.outcomeRecord(outcome);
    }

    /** {@code processed=N succeeded=N failed=N dead_lettered=N}, counted when each record's result was built. */
    String counts() {
        long ok = succeeded.sum();
        long bad = failed.sum();
        long dead = deadLettered.sum();
        return "processed=" + (ok + bad + dead) + " succeeded=" + ok + " failed=" + bad + " dead_lettered=" + dead;
    }

    /** {@code timeout=N payment_declined=N ...}: the failed orders by error class, those with any. */
    String failuresByErrorClass() {
        StringBuilder line = new StringBuilder();
        failedBy.forEach((errorClass, count) -> {
            if (count.sum() > 0) {
                line.append(line.isEmpty() ? "" : " ").append(errorClass.code()).append('=').append(count.sum());
            }
        });
        return line.isEmpty() ? "none" : line.toString();
    }

    /** The pipeline was interrupted: the function cannot answer this record now. */
    static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Interrupted(InterruptedException cause) {
            super("interrupted while the order's steps ran", cause);
        }
    }
}
