package dev.orderpipeline.cli.kafka;

import dev.orderpipeline.contract.Durations;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to reach Kafka: shared by every client a command creates.
 *
 * @param bootstrapServers comma-separated {@code host:port} list
 * @param clientConfig     extra client properties (security, SASL, TLS) from {@code --client-config};
 *                         they override the CLI's tuning but not the settings it depends on
 * @param connectTimeout   how long to wait for the cluster to answer before giving up
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> clientConfig, Duration connectTimeout) {

    // host:port, host being a name, an IPv4 address or a bracketed IPv6 address.
    private static final Pattern SERVER = Pattern.compile("(\\[[0-9a-fA-F:.]+]|[A-Za-z0-9._-]+):\\d{1,5}");

    public KafkaConnection {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        for (String server : bootstrapServers.split(",", -1)) {
            if (!SERVER.matcher(server.strip()).matches()) {
                throw new IllegalArgumentException("bootstrap server '" + server.strip()
                        + "' is not host:port (in '" + bootstrapServers + "')");
            }
        }
        clientConfig = Map.copyOf(clientConfig);
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connect timeout must be positive, got " + connectTimeout);
        }
    }

    /** The timeout as a human reads it: {@code 10s}, {@code 1.5s}, {@code 500ms}. */
    public String connectTimeoutText() {
        return Durations.format(connectTimeout);
    }
}
