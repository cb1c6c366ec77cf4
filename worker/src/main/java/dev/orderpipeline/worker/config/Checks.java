package dev.orderpipeline.worker.config;

import java.time.Duration;

/** The checks the configuration groups share; each failure names the option with its environment variable. */
final class Checks {

    private Checks() {
    }

    /** A topic, group or worker name: Kafka's legal characters, at most 249 of them. */
    static void requireName(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new ConfigException(key, "must not be empty");
        }
        if (!value.matches("[A-Za-z0-9._-]{1,249}")) {
            throw new ConfigException(key, "\"" + value + "\" may only contain letters, digits, '.', '_' and '-'");
        }
    }

    static void requirePositive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new ConfigException(key, "must be a positive duration such as 500ms or 5s, got " + value);
        }
    }

    static void requireAtLeast(String key, int value, int min) {
        if (value < min) {
            throw new ConfigException(key, "must be at least " + min + ", got " + value);
        }
    }

    /** 0 stands for any free port. */
    static void requirePort(String key, int value) {
        if (value < 0 || value > 65_535) {
            throw new ConfigException(key, "must be 0..65535, got " + value);
        }
    }
}
