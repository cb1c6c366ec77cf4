package dev.orderpipeline.worker.consume;

import dev.orderpipeline.worker.observe.PollHealth;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Tells the health endpoints that the poll thread is alive and what it holds, after every
 * poll, wherever the thread waits (the loop, a revocation, the drain). Poll thread only: it
 * reads the consumer.
 */
final class Heartbeat {

    private final Consumer<byte[], byte[]> consumer;
    private final PollHealth health;
    private final Clock clock;
    private final InFlight inFlight;
    private final BackPressure pressure;
    /** The consumer's open connections to brokers, looked up once; {@code null} if it has none. */
    private Metric connectionCount;

    Heartbeat(Consumer<byte[], byte[]> consumer, PollHealth health, Clock clock, InFlight inFlight,
              BackPressure pressure) {
        this.consumer = consumer;
        this.health = health;
        this.clock = clock;
        this.inFlight = inFlight;
        this.pressure = pressure;
    }

    /** The loop has polled: alive, with this many partitions, connections and records. */
    void polled() {
        health.polled(clock.instant(), consumer.assignment().size(), connections());
        health.load(inFlight.count(), pressure.waiting());
    }

    /** The loop is draining: not ready for more work. */
    void stopping() {
        health.stopping();
    }

    /** The loop has ended. */
    void ended() {
        health.ended();
    }

    /** The consumer's open broker connections, -1 if its metrics do not say. */
    private int connections() {
        if (connectionCount == null) {
            for (Map.Entry<MetricName, ? extends Metric> metric : consumer.metrics().entrySet()) {
                if (metric.getKey().name().equals("connection-count") && metric.getKey().group().equals("consumer-metrics")) {
                    connectionCount = metric.getValue();
                }
            }
        }
        return connectionCount != null && connectionCount.metricValue() instanceof Number n ? n.intValue() : -1;
    }
}
