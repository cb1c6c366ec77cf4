package dev.orderpipeline.cli;

import dev.orderpipeline.cli.kafka.OrderSender;
import dev.orderpipeline.cli.kafka.SendResult;

/** What {@code send} and {@code run} do alike around an {@link OrderSender}. */
final class Sending {

    private Sending() {
    }

    /** An observer that reports progress on stderr, about once a second. */
    static OrderSender.Observer showingProgress(Progress progress, long planned) {
        return new OrderSender.Observer() {
            @Override
            public void progress(long sent, long acked, long failed) {
                progress.maybe(() -> line(sent, planned, acked, failed));
            }
        };
    }

    static String line(long sent, long planned, long acked, long failed) {
        return "sent " + sent + "/" + planned + ", acked " + acked + ", failed " + failed;
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
