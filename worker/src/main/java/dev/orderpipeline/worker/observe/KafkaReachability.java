package dev.orderpipeline.worker.observe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Whether any bootstrap broker accepts a TCP connection now. The liveness check asks it when
 * the poll thread has not polled for a while, to tell a worker that waits for an unreachable
 * cluster (a restart would not help) from one whose poll thread is stuck while the cluster is
 * there (a restart would). A TCP connect proves the listener is up, not that the broker would
 * serve this client (TLS, SASL): enough for that question, and it never touches the consumer.
 *
 * <p>Thread-safe: HTTP threads call it; one answer is reused for {@link #REUSE_FOR}, so probes
 * in quick succession cost one connect.
 */
public final class KafkaReachability implements BooleanSupplier {

    /** How long one answer is reused. */
    static final Duration REUSE_FOR = Duration.ofSeconds(1);

    private record Answer(boolean reachable, Instant at) {
    }

    private final List<InetSocketAddress> brokers;
    private final Duration connectTimeout;
    private final Clock clock;
    // Written by whichever HTTP thread asked last; a race only costs one more connect.
    private volatile Answer last;

    KafkaReachability(List<InetSocketAddress> brokers, Duration connectTimeout, Clock clock) {
        this.brokers = List.copyOf(brokers);
        this.connectTimeout = connectTimeout;
        this.clock = clock;
    }

    /**
     * @param bootstrapServers the worker's {@code --bootstrap-servers}, {@code host:port[,host:port...]}
     * @throws IllegalArgumentException for an entry without a port
     */
    public static KafkaReachability of(String bootstrapServers, Clock clock) {
        List<InetSocketAddress> brokers = new ArrayList<>();
        for (String entry : bootstrapServers.split(",")) {
            String hostPort = entry.strip().replaceFirst("^[A-Za-z0-9_]+://", "");
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("bootstrap server without a port: " + hostPort);
            }
            String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
            brokers.add(InetSocketAddress.createUnresolved(host, Integer.parseInt(hostPort.substring(colon + 1))));
        }
        return new KafkaReachability(brokers, Duration.ofSeconds(1), clock);
    }

    @Override
    public boolean getAsBoolean() {
        Answer answer = last;
        Instant now = clock.instant();
        if (answer != null && Duration.between(answer.at(), now).compareTo(REUSE_FOR) < 0) {
            return answer.reachable();
        }
        boolean reachable = brokers.stream().anyMatch(this::accepts);
        last = new Answer(reachable, now);
        return reachable;
    }

    private boolean accepts(InetSocketAddress broker) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(broker.getHostString(), broker.getPort()), (int) connectTimeout.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
