package dev.orderpipeline.cli.report;

import dev.orderpipeline.cli.kafka.SendResult;
import dev.orderpipeline.cli.orders.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The summary of a send, as printed on stdout. */
public final class SendReport {

    private SendReport() {
    }

    /**
     * @param source what was sent, from {@code OrderSource.describe()}
     * @param topic  where it was sent
     */
    public static List<String> lines(SendResult result, String source, String topic) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "sent      %d of %d records to %s in %s: %d acked, %d failed",
                result.sent(), result.planned(), topic, seconds(result.elapsed()), result.acked(), result.failed()));
        lines.add("  source     " + source);
        String scenarios = Arrays.stream(Scenario.values())
                .filter(s -> result.sentByScenario().getOrDefault(s, 0L) > 0)
                .map(s -> s.label() + " " + result.sentByScenario().get(s))
                .collect(Collectors.joining(", "));
        if (!scenarios.isEmpty()) {
            lines.add("  scenarios  " + scenarios);
        }
        result.firstError().ifPresent(error -> lines.add("  first failure  " + error));
        if (result.sent() < result.planned()) {
            lines.add("  stopped at the first failure: " + (result.planned() - result.sent()) + " records not sent");
        }
        return lines;
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.2f s", d.toNanos() / 1e9);
    }
}
