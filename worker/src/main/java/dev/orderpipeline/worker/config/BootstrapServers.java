package dev.orderpipeline.worker.config;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Utils;

/**
 * The {@code --bootstrap-servers} list, read the way Kafka's clients read it (their own
 * {@link Utils#getHost}/{@link Utils#getPort}, so bracketed IPv6 works as there). A malformed
 * entry stops start-up here with a line naming the option, where the client would have thrown a
 * stack trace from deep inside its constructor.
 */
public final class BootstrapServers {

    static final String KEY = "--bootstrap-servers (KAFKA_BOOTSTRAP_SERVERS)";

    /** One {@code host:port} of the list. */
    public record Address(String host, int port) {
    }

    private BootstrapServers() {
    }

    /**
     * The addresses of a comma-separated {@code host:port} list.
     *
     * @throws ConfigException naming the entry that has no port, a bad port or no host
     */
    public static List<Address> parse(String servers) {
        List<Address> addresses = new ArrayList<>();
        for (String entry : servers.split(",")) {
            String address = entry.strip();
            if (address.isEmpty()) {
                continue;
            }
            String host = Utils.getHost(address);
            Integer port = Utils.getPort(address);
            if (host == null || port == null || host.isEmpty()) {
                String example = host != null && !host.isEmpty() ? host
                        : address.matches("[0-9A-Za-z.-]+") ? address : "kafka-1";
                throw new ConfigException(KEY, "\"" + address + "\" is not host:port; write e.g. " + example + ":9092");
            }
            if (port < 1 || port > 65_535) {
                throw new ConfigException(KEY, "\"" + address + "\" has port " + port + "; a port is 1..65535");
            }
            addresses.add(new Address(host, port));
        }
        if (addresses.isEmpty()) {
            throw new ConfigException(KEY, "no host:port in \"" + servers + "\"");
        }
        return List.copyOf(addresses);
    }
}
