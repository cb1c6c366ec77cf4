package dev.orderpipeline.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Progress lines on stderr, at most one per {@link #INTERVAL}, so a long send or wait shows it is
 * alive without flooding a terminal or a CI log. Used from one thread.
 */
final class Progress {

    static final Duration INTERVAL = Duration.ofSeconds(1);

    private final PrintWriter err;
    private final Clock clock;
    private Instant lastPrinted;

    Progress(PrintWriter err, Clock clock) {
        this.err = err;
        this.clock = clock;
        this.lastPrinted = clock.instant();
    }

    /** Prints {@code line} now, whatever the interval. */
    void say(String line) {
        err.println("order-cli: " + line);
        err.flush();
        lastPrinted = clock.instant();
    }

    /** Prints {@code line} if the last line is at least {@link #INTERVAL} old. */
    void maybe(Supplier<String> line) {
        if (!clock.instant().isBefore(lastPrinted.plus(INTERVAL))) {
            say(line.get());
        }
    }
}
