package dev.orderpipeline.cli.report;

import dev.orderpipeline.cli.orders.Expect;
import dev.orderpipeline.cli.orders.Scenario;
import dev.orderpipeline.contract.Durations;
import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderStatus;
import dev.orderpipeline.contract.SenderText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The answers part of {@code run}'s summary, as printed on stdout after the send summary. */
public final class RunReport {

    /** How many missing ids are listed; the rest are counted. */
    static final int LISTED_MISSING = 20;
    /** How many duplicated ids are listed. */
    static final int LISTED_DUPLICATES = 10;

    private RunReport() {
    }

    /**
     * @param waited  how long the run waited for answers after the last ack
     * @param timeout the --timeout, named when orders are missing
     */
    public static List<String> lines(RunSummary s, String resultsTopic, String deadLetterTopic, Duration waited,
            Duration timeout) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "answers   %d of %d outcomes on %s, %d of %d dead letters on %s, within %s",
                s.answeredOutcomes(), s.expectedOutcomes(), resultsTopic,
                s.answeredDeadLetters(), s.expectedDeadLetters(), deadLetterTopic, SendReport.seconds(waited)));

        lines.add("");
        lines.add("outcomes by status (first outcome per order)");
        for (OrderStatus status : OrderStatus.values()) {
            lines.add(row(status.name().toLowerCase(Locale.ROOT), s.byStatus().getOrDefault(status, 0L)));
        }
        if (!s.byErrorClass().isEmpty()) {
            lines.add("outcomes by error class");
            for (ErrorClass errorClass : ErrorClass.values()) {
                long n = s.byErrorClass().getOrDefault(errorClass, 0L);
                if (n > 0) {
                    lines.add(row(errorClass.code(), n));
                }
            }
        }
        if (!s.deadLettersByProblem().isEmpty()) {
            lines.add("dead letters by dlt.problem");
            s.deadLettersByProblem().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> lines.add(row(e.getKey(), e.getValue())));
        }

        lines.add("");
        lines.add(String.format(Locale.ROOT, "%-22s %8s %9s %12s", "by scenario", "sent", "answered", "as expected"));
        for (Scenario scenario : Scenario.values()) {
            RunSummary.ScenarioTally t = s.byScenario().get(scenario);
            if (t != null && t.sent() > 0) {
                String expected = scenario == Scenario.CUSTOM ? "-" : Long.toString(t.asExpected());
                lines.add(String.format(Locale.ROOT, "  %-20s %8d %9d %12s", scenario.label(), t.sent(), t.answered(), expected));
            }
        }

        lines.add("");
        lines.add("latency, send (createdAt) to outcome read (" + s.latency().count() + " orders)");
        lines.addAll(s.latency().lines());

        lines.add("");
        lines.addAll(anomalies(s));
        lines.addAll(missing(s, timeout));
        return lines;
    }

    private static List<String> anomalies(RunSummary s) {
        List<String> lines = new ArrayList<>();
        if (s.duplicates().isEmpty()) {
            lines.add("duplicates  none");
        } else {
            lines.add("duplicates  " + s.duplicates().size() + " orders answered more than once ("
                    + s.duplicateAnswers() + " extra answers): " + listed(s.duplicates(), LISTED_DUPLICATES));
        }
        if (s.deadLetteredValid() > 0) {
            lines.add("dead-lettered although valid  " + s.deadLetteredValid());
        }
        if (s.unreadableOutcomes() > 0) {
            lines.add("unreadable outcomes for our orders  " + s.unreadableOutcomes());
        }
        if (s.ignored() > 0) {
            lines.add("ignored  " + s.ignored() + " answers for orders this run did not send");
        }
        return lines;
    }

    private static List<String> missing(RunSummary s, Duration timeout) {
        List<String> lines = new ArrayList<>();
        if (s.missing().isEmpty()) {
            lines.add("missing     none");
            return lines;
        }
        lines.add("missing     " + s.missing().size() + " orders got no answer within "
                + Durations.format(timeout) + ":");
        for (RunSummary.Missing m : s.missing().subList(0, Math.min(LISTED_MISSING, s.missing().size()))) {
            lines.add(String.format(Locale.ROOT, "  %-30s %s, %s", SenderText.of(m.key()), m.scenario().label(),
                    m.expect() == Expect.OUTCOME ? "no outcome" : "no dead letter"));
        }
        if (s.missing().size() > LISTED_MISSING) {
            lines.add("  ... and " + (s.missing().size() - LISTED_MISSING) + " more");
        }
        return lines;
    }

    private static String row(String name, long count) {
        return String.format(Locale.ROOT, "  %-22s %6d", name, count);
    }

    private static String listed(List<String> ids, int max) {
        String shown = ids.subList(0, Math.min(max, ids.size())).stream().map(SenderText::of)
                .collect(java.util.stream.Collectors.joining(", "));
        return ids.size() > max ? shown + ", ... and " + (ids.size() - max) + " more" : shown;
    }
}
