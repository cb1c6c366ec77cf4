package dev.orderpipeline.cli;

import dev.orderpipeline.cli.kafka.KafkaVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/** {@code --version}: this tool, the Kafka client it speaks with, and the JVM. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {
                "order-cli " + projectVersion(),
                "kafka-clients " + KafkaVersion.library(),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
        };
    }

    static String projectVersion() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "(unknown version)";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "(unknown version)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
