package dev.orderpipeline.cli.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderpipeline.cli.kafka.GroupOffsets;
import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.SenderText;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** What {@code order-cli verify} prints: a summary for people, or one JSON object for scripts. */
public final class VerifyReport {

    /** How many items of each finding the summary lists; JSON lists them all. */
    static final int LISTED = 20;

    private static final ObjectMapper JSON = OrderCodec.newMapper();

    private VerifyReport() {
    }

    /**
     * The consumer group's position on the orders topic.
     *
     * @param ordersEnd the orders topic's end offsets when verify started, by partition
     * @param committed the group's commits there, by partition
     */
    public record GroupLag(String group, Map<Integer, Long> ordersEnd, Map<Integer, GroupOffsets.Committed> committed) {

        public GroupLag {
            Objects.requireNonNull(group, "group");
            ordersEnd = Map.copyOf(ordersEnd);
            committed = Map.copyOf(committed);
        }

        /** End offset minus committed offset; the whole partition when nothing is committed. */
        long lag(int partition) {
            GroupOffsets.Committed c = committed.get(partition);
            return ordersEnd.getOrDefault(partition, 0L) - (c == null ? 0 : c.offset());
        }

        List<Integer> partitions() {
            TreeSet<Integer> all = new TreeSet<>(ordersEnd.keySet());
            all.addAll(committed.keySet());
            return List.copyOf(all);
        }
    }

    /** {@code verdict: OK} or {@code verdict: FAILED (lost 3, duplicated 1)}; duplicates only fail exactly-once. */
    public static String verdict(Verification v, Verification.Guarantee guarantee) {
        if (v.passed(guarantee)) {
            return "verdict: OK";
        }
        List<String> why = new ArrayList<>();
        if (v.lost() > 0) {
            why.add("lost " + v.lost());
        }
        if (guarantee == Verification.Guarantee.EXACTLY_ONCE && v.duplicated() > 0) {
            why.add("duplicated " + v.duplicated());
        }
        return "verdict: FAILED (" + String.join(", ", why) + ")";
    }

    /** The human summary, ending with the verdict line. */
    public static List<String> lines(Verification v, Verification.Guarantee guarantee, Topics topics, GroupLag lag) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "read      %d records on %s (%d valid orders, %d malformed), "
                        + "%d outcomes on %s (%d with read_uncommitted), %d dead letters on %s",
                v.orderRecords(), topics.orders(), v.validOrders(), v.malformedRecords(), v.outcomeRecords(),
                topics.results(), v.uncommittedOutcomeRecords(), v.deadLetters(), topics.deadLetters()));
        lines.add("");
        lines.add(row("lost", v.lost(), "valid orders without an outcome " + v.lostOrders().size()
                + ", malformed records without a dead letter " + v.malformedWithoutDeadLetter().size()));
        listed(lines, v.lostOrders());
        listed(lines, v.malformedWithoutDeadLetter().stream().map(a -> a + " (no dead letter)").toList());
        lines.add(row("duplicated", v.duplicated(), "ids with more outcomes than order records "
                + v.duplicatedOutcomes().size() + ", records dead-lettered more than once "
                + v.duplicatedDeadLetters().size() + (guarantee == Verification.Guarantee.EXACTLY_ONCE
                ? " (failures: --exactly-once)" : " (allowed: at-least-once)")));
        listed(lines, v.duplicatedOutcomes().stream().map(d -> d.what() + ": " + d.times() + " outcomes for "
                + d.owed() + " order record" + (d.owed() == 1 ? "" : "s")).toList());
        listed(lines, v.duplicatedDeadLetters().stream().map(d -> d.what() + ": " + d.times() + " dead letters").toList());
        lines.add(row("out of order", v.outOfOrder().size(), "keys whose first outcomes do not follow their orders' offsets"));
        listed(lines, v.outOfOrder());
        lines.add(row("aborted", v.abortedOutcomes().size(), "outcomes only visible with read_uncommitted; "
                + v.beyondStableOffset() + " more past the last stable offset (open transaction, or written since verify started)"));
        listed(lines, v.abortedOutcomes());
        lines.add(row("warnings", v.missingRejections().size() + v.unreadableOutcomes(), "malformed records with an id "
                + "but no rejected outcome " + v.missingRejections().size() + ", unreadable outcomes "
                + v.unreadableOutcomes()));
        listed(lines, v.missingRejections().stream().map(m -> m + " (no rejected outcome)").toList());
        lines.add(row("unmatched", v.outcomesWithoutOrder() + v.deadLettersForOtherTopics(), "outcomes for ids not on "
                + topics.orders() + " " + v.outcomesWithoutOrder() + ", dead letters from other topics "
                + v.deadLettersForOtherTopics()));
        lines.add("");
        if (lag.committed().isEmpty()) {
            lines.add("group " + lag.group() + ": no committed offsets on " + topics.orders());
        } else {
            lines.add("group " + lag.group() + " on " + topics.orders());
            lines.add(String.format(Locale.ROOT, "  %-9s %10s %10s %8s  %s", "partition", "end", "committed", "lag",
                    "metadata"));
            for (int p : lag.partitions()) {
                GroupOffsets.Committed c = lag.committed().get(p);
                lines.add(String.format(Locale.ROOT, "  %-9d %10d %10s %8d  %s", p, lag.ordersEnd().getOrDefault(p, 0L),
                        c == null ? "-" : Long.toString(c.offset()), lag.lag(p),
                        c == null ? "-" : c.metadataLength() + " chars"));
            }
        }
        lines.add("");
        lines.add(verdict(v, guarantee));
        return lines;
    }

    /** The same as one JSON object; lists are complete. */
    public static String json(Verification v, Verification.Guarantee guarantee, Topics topics, GroupLag lag) {
        ObjectNode root = JSON.createObjectNode();
        root.put("verdict", v.passed(guarantee) ? "OK" : "FAILED");
        root.put("guarantee", guarantee == Verification.Guarantee.EXACTLY_ONCE ? "exactly-once" : "at-least-once");
        root.putObject("topics").put("orders", topics.orders()).put("results", topics.results())
                .put("deadLetters", topics.deadLetters());
        root.putObject("read").put("orderRecords", v.orderRecords()).put("validOrders", v.validOrders())
                .put("malformedRecords", v.malformedRecords()).put("outcomes", v.outcomeRecords())
                .put("outcomesReadUncommitted", v.uncommittedOutcomeRecords()).put("deadLetters", v.deadLetters());
        ObjectNode counts = root.putObject("counts");
        counts.put("lost", v.lost()).put("duplicated", v.duplicated()).put("outOfOrder", v.outOfOrder().size())
                .put("aborted", v.abortedOutcomes().size()).put("beyondStableOffset", v.beyondStableOffset())
                .put("missingRejections", v.missingRejections().size()).put("unreadableOutcomes", v.unreadableOutcomes())
                .put("outcomesWithoutOrder", v.outcomesWithoutOrder())
                .put("deadLettersForOtherTopics", v.deadLettersForOtherTopics());
        strings(root.putObject("lost").putArray("validOrders"), v.lostOrders());
        strings(((ObjectNode) root.get("lost")).putArray("malformedWithoutDeadLetter"), v.malformedWithoutDeadLetter());
        ObjectNode duplicated = root.putObject("duplicated");
        duplicates(duplicated.putArray("outcomes"), v.duplicatedOutcomes());
        duplicates(duplicated.putArray("deadLetters"), v.duplicatedDeadLetters());
        strings(root.putArray("outOfOrder"), v.outOfOrder());
        strings(root.putArray("aborted"), v.abortedOutcomes());
        strings(root.putArray("missingRejections"), v.missingRejections());
        ObjectNode group = root.putObject("group");
        group.put("id", lag.group());
        ArrayNode partitions = group.putArray("partitions");
        for (int p : lag.partitions()) {
            GroupOffsets.Committed c = lag.committed().get(p);
            ObjectNode node = partitions.addObject().put("partition", p).put("endOffset", lag.ordersEnd().getOrDefault(p, 0L));
            if (c == null) {
                node.putNull("committed");
            } else {
                node.put("committed", c.offset()).put("metadataLength", c.metadataLength());
            }
            node.put("lag", lag.lag(p));
        }
        return root.toString();
    }

    /** The three topics' names, as given. */
    public record Topics(String orders, String results, String deadLetters) {
    }

    private static String row(String check, long count, String detail) {
        return String.format(Locale.ROOT, "%-13s %5d  %s", check, count, detail);
    }

    private static void listed(List<String> lines, List<String> items) {
        // Items name ids and keys read from the topics: a sender's text, shown through SenderText.
        items.stream().limit(LISTED).forEach(item -> lines.add("  " + SenderText.of(item)));
        if (items.size() > LISTED) {
            lines.add("  ... (" + (items.size() - LISTED) + " more)");
        }
    }

    private static void strings(ArrayNode array, List<String> items) {
        items.forEach(array::add);
    }

    private static void duplicates(ArrayNode array, List<Verification.Duplicate> items) {
        items.forEach(d -> array.addObject().put("what", d.what()).put("times", d.times()).put("owed", d.owed()));
    }
}
