package dev.orderpipeline.worker.config;

import java.util.Locale;

/** How the worker writes its log lines ({@code --log-format}, {@code LOG_FORMAT}). */
public enum LogFormat {
    /** One human-readable line per event on stderr: time, thread, level, logger, message. The default. */
    TEXT,
    /**
     * One JSON object per line on stdout, for a log pipeline: {@code timestamp}, {@code level},
     * {@code logger}, {@code thread}, {@code message}, {@code stack_trace} when there is one, and
     * the MDC keys ({@code order_id} while an order is handled; {@code trace_id}, {@code span_id}
     * while its span is current).
     */
    JSON;

    /**
     * Reads an option value; case does not matter.
     *
     * @throws ConfigException naming {@code --log-format} and the values it takes
     */
    public static LogFormat parse(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ConfigException("--log-format (LOG_FORMAT)", "\"" + value + "\" is not one of text, json");
        }
    }
}
