package dev.orderpipeline.cli;

import dev.orderpipeline.cli.kafka.OrderSender;
import dev.orderpipeline.cli.kafka.SendResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** What {@code send} and {@code run} do alike around an {@link OrderSender}. */
final class Sending {

    private Sending() {
    }

    /** An observer that reports progress on stderr, at most once a second, with the rate since it was made. */
    static OrderSender.Observer showingProgress(Progress progress, long planned, Clock clock) {
        Instant start = clock.instant();
        return new OrderSender.Observer() {
            @Override
            public void progress(long sent, long acked, long failed) {
                progress.maybe(() -> line(sent, planned, acked, failed, Duration.between(start, clock.instant())));
            }
        };
    }

    static String line(long sent, long planned, long acked, long failed, Duration elapsed) {
        double perSecond = elapsed.isPositive() ? sent / (elapsed.toNanos() / 1e9) : 0;
        return String.format(Locale.ROOT, "sent %d/%d, acked %d, %.1f/s, failed %d", sent, planned, acked, perSecond,
                failed);
    }

    /** {@link ExitCode#OK}, or {@link ExitCode#UNAVAILABLE} with a line on stderr when records were not acked. */
    static ExitCode exitCode(SendResult result, Progress progress) {
        if (result.allAcked()) {
            return ExitCode.OK;
        }
        progress.say((result.planned() - result.acked()) + " of " + result.planned()
                + " records were not acknowledged by Kafka" + result.firstError().map(e -> " (first failure: " + e + ")").orElse(""));
        return ExitCode.UNAVAILABLE;
    }
}
