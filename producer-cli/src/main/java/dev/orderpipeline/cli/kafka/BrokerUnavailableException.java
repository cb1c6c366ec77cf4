package dev.orderpipeline.cli.kafka;

/**
 * Kafka could not do what the command needs: the cluster is unreachable, a topic is missing,
 * the credentials are refused, or records were not acknowledged. The message is one line for
 * the user, naming the address or topic and what to check.
 */
public final class BrokerUnavailableException extends Exception {

    public BrokerUnavailableException(String message) {
        super(message);
    }

    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
