package dev.orderpipeline.worker.config;

/**
 * A configuration value is missing or wrong. Its message is the one line printed at start-up:
 * the key and the problem.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public ConfigException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
    }

    /** The option, with its environment variable, that is wrong. */
    public String key() {
        return key;
    }
}
