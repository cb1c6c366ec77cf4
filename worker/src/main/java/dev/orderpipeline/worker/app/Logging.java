package dev.orderpipeline.worker.app;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import dev.orderpipeline.worker.config.LogFormat;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashFieldNames;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switches the process's log format at start-up. The text format is what {@code logback.xml}
 * sets up; the JSON format replaces its appender with one that writes one JSON object per line
 * on stdout, the fields named as {@link LogFormat#JSON} says. Jackson writes the JSON, so a
 * quote or a line break inside a message or an MDC value is escaped and can never start a
 * field or a line of its own. Main thread, before the worker starts.
 */
final class Logging {

    /** JSON lines go here, apart from the plain-text start-up failures {@link Main} prints on stderr. */
    private static final String JSON_TARGET = "System.out";
    /** A logstash field name that leaves the field out. */
    private static final String LEAVE_OUT = "[ignore]";

    private Logging() {
    }

    /**
     * Makes every later log line of this process use {@code format}.
     *
     * @throws IllegalStateException if the JSON format is asked for and SLF4J is not bound to
     *                               Logback (an embedder's class path)
     */
    static void use(LogFormat format) {
        if (format == LogFormat.TEXT) {
            return;
        }
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            throw new IllegalStateException("--log-format json needs Logback as the SLF4J provider, found "
                    + factory.getClass().getName());
        }
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(context);
        LogstashFieldNames names = encoder.getFieldNames();
        names.setTimestamp("timestamp");
        names.setLogger("logger");
        names.setThread("thread");
        names.setVersion(LEAVE_OUT);
        names.setLevelValue(LEAVE_OUT);
        // UTC whatever the machine's zone, as the text format's offset makes plain too.
        encoder.setTimeZone("UTC");
        // The context's properties (host name and the like) on every line add nothing per event.
        encoder.setIncludeContext(false);
        encoder.start();

        ConsoleAppender<ILoggingEvent> json = new ConsoleAppender<>();
        json.setContext(context);
        json.setName("JSON");
        json.setTarget(JSON_TARGET);
        json.setEncoder(encoder);
        json.start();

        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.addAppender(json);
    }
}
