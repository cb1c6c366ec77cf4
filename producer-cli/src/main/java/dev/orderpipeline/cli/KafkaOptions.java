package dev.orderpipeline.cli;

import dev.orderpipeline.cli.kafka.KafkaConnection;
import dev.orderpipeline.contract.Topics;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * How to reach Kafka: the options every command that talks to Kafka shares, shown under their
 * own heading. Declared in a command as
 * {@code @ArgGroup(validate = false, heading = KafkaOptions.HEADING) KafkaOptions kafka = new KafkaOptions();}.
 */
final class KafkaOptions {

    static final String HEADING = "%nKafka:%n";

    @Option(names = {"-b", "--bootstrap-servers"}, paramLabel = "HOST:PORT[,...]",
            description = "Kafka brokers to connect to. Default: the " + Topics.BOOTSTRAP_ENV
                    + " environment variable, else bootstrap.servers in --client-config.")
    String bootstrapServers;

    @Option(names = "--client-config", paramLabel = "FILE",
            description = "Kafka client properties applied to every client, for security.protocol, sasl.* "
                    + "and ssl.*. They cannot change acks, idempotence or the key and value serializers.")
    Path clientConfig;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "How long to wait for the cluster to answer before giving up (exit 69). "
                    + "Default: ${DEFAULT-VALUE}.")
    Duration connectTimeout;

    /**
     * The connection these options describe.
     *
     * @throws CommandLine.ParameterException (exit 64) when no broker address is given, an
     *                                        address is not host:port, or --client-config cannot be read
     */
    KafkaConnection connection(CommandSpec command, Map<String, String> environment) {
        Map<String, String> clientProperties = clientConfig == null ? Map.of() : readClientConfig(command);
        String servers = firstNonBlank(bootstrapServers, environment.get(Topics.BOOTSTRAP_ENV),
                clientProperties.get("bootstrap.servers"));
        if (servers == null) {
            throw new CommandLine.ParameterException(command.commandLine(),
                    "no Kafka broker given: pass --bootstrap-servers HOST:PORT or set " + Topics.BOOTSTRAP_ENV);
        }
        try {
            return new KafkaConnection(servers.strip(), clientProperties, connectTimeout);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(command.commandLine(), e.getMessage());
        }
    }

    private Map<String, String> readClientConfig(CommandSpec command) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(clientConfig)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new CommandLine.ParameterException(command.commandLine(),
                    "cannot read --client-config " + clientConfig + ": no such file");
        } catch (IOException | IllegalArgumentException e) {
            throw new CommandLine.ParameterException(command.commandLine(),
                    "cannot read --client-config " + clientConfig + ": " + e.getMessage());
        }
        Map<String, String> map = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name).strip()));
        return map;
    }

    private static String firstNonBlank(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate;
            }
        }
        return null;
    }
}
