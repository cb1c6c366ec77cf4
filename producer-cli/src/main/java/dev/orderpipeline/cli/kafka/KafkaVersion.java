package dev.orderpipeline.cli.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;

/** The Kafka client library's version, for {@code --version}. */
public final class KafkaVersion {

    private KafkaVersion() {
    }

    /** Read from the properties file kafka-clients ships, not from its internal AppInfoParser. */
    public static String library() {
        try (InputStream in = KafkaProducer.class.getResourceAsStream("/kafka/kafka-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
