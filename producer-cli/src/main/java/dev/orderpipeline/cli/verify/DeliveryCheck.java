package dev.orderpipeline.cli.verify;

import dev.orderpipeline.cli.kafka.TopicRecord;
import dev.orderpipeline.contract.DeadLetterHeaders;
import dev.orderpipeline.contract.DecodedOrder;
import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.OrderStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The delivery checks of {@code order-cli verify}, on records already read: pure, so a table of
 * small histories tests every check without a broker. The definitions are in {@link Verification}.
 */
public final class DeliveryCheck {

    private static final Comparator<TopicRecord> TOPIC_ORDER =
            Comparator.comparingInt(TopicRecord::partition).thenComparingLong(TopicRecord::offset);

    private DeliveryCheck() {
    }

    /**
     * What the topics read by {@code verify} hold.
     *
     * @param ordersTopic          the orders topic's name, to pick the dead letters that point into it
     * @param orders               the orders topic, read_committed, from the beginning to its end offsets
     * @param results              the results topic, read_committed, to its end offsets (the last stable offsets)
     * @param resultsCommittedEnd  those end offsets, per partition
     * @param uncommittedResults   the results topic read again with read_uncommitted, to its end offsets
     *                             (the high watermarks)
     * @param deadLetters          the dead-letter topic, read_committed
     */
    public record History(String ordersTopic, List<TopicRecord> orders, List<TopicRecord> results,
            Map<Integer, Long> resultsCommittedEnd, List<TopicRecord> uncommittedResults,
            List<TopicRecord> deadLetters) {

        public History {
            Objects.requireNonNull(ordersTopic, "ordersTopic");
            orders = orders.stream().sorted(TOPIC_ORDER).toList();
            results = results.stream().sorted(TOPIC_ORDER).toList();
            resultsCommittedEnd = Map.copyOf(resultsCommittedEnd);
            uncommittedResults = uncommittedResults.stream().sorted(TOPIC_ORDER).toList();
            deadLetters = deadLetters.stream().sorted(TOPIC_ORDER).toList();
        }
    }

    /** One readable outcome and where it was read. */
    private record Outcome(OrderOutcome outcome, TopicRecord record) {
    }

    /** Runs every check on {@code history}. */
    public static Verification check(History history, OrderCodec codec) {
        // orders
        long valid = 0;
        List<TopicRecord> malformed = new ArrayList<>();
        Map<TopicRecord, String> malformedIds = new HashMap<>();
        // Per id, each distinct createdAt of its valid orders with the address of its first record:
        // an id sent again with a new createdAt is a new order and owes its own outcome.
        Map<String, Map<Instant, String>> validOrdersPerId = new LinkedHashMap<>();
        Map<String, Integer> recordsPerId = new HashMap<>();
        // Per key, the createdAt of its valid orders in offset order.
        Map<String, List<Instant>> createdAtPerKey = new LinkedHashMap<>();
        for (TopicRecord r : history.orders()) {
            switch (codec.decodeOrder(r.value())) {
                case DecodedOrder.Valid v -> {
                    valid++;
                    validOrdersPerId.computeIfAbsent(v.order().orderId(), _ -> new LinkedHashMap<>())
                            .putIfAbsent(v.order().createdAt(), r.address());
                    recordsPerId.merge(v.order().orderId(), 1, Integer::sum);
                    createdAtPerKey.computeIfAbsent(String.valueOf(r.key()), _ -> new ArrayList<>())
                            .add(v.order().createdAt());
                }
                case DecodedOrder.Invalid i -> {
                    malformed.add(r);
                    i.orderId().ifPresent(id -> {
                        malformedIds.put(r, id);
                        recordsPerId.merge(id, 1, Integer::sum);
                    });
                }
            }
        }

        // committed outcomes
        long unreadable = 0;
        List<Outcome> outcomes = new ArrayList<>();
        Map<String, Integer> outcomesPerId = new LinkedHashMap<>();
        Map<String, List<Instant>> answeredCreatedAtsPerId = new HashMap<>();
        Set<String> rejectedIds = new HashSet<>();
        for (TopicRecord r : history.results()) {
            OrderOutcome o;
            try {
                o = codec.decodeOutcome(r.value());
            } catch (IllegalArgumentException e) {
                unreadable++;
                continue;
            }
            if (o.orderId() == null) {
                unreadable++;
                continue;
            }
            outcomes.add(new Outcome(o, r));
            outcomesPerId.merge(o.orderId(), 1, Integer::sum);
            answeredCreatedAtsPerId.computeIfAbsent(o.orderId(), _ -> new ArrayList<>()).add(o.orderCreatedAt());
            if (o.status() == OrderStatus.REJECTED) {
                rejectedIds.add(o.orderId());
            }
        }

        // lost valid orders
        List<String> lost = new ArrayList<>();
        validOrdersPerId.forEach((id, orders) ->
                lostOf(id, orders, answeredCreatedAtsPerId.getOrDefault(id, List.of()), lost));

        // dead letters, by the original record they point at
        Map<String, Integer> deadLettersPerAddress = new LinkedHashMap<>();
        long deadLettersElsewhere = 0;
        for (TopicRecord d : history.deadLetters()) {
            Optional<String> original = originalAddress(d, history.ordersTopic());
            if (original.isPresent()) {
                deadLettersPerAddress.merge(original.get(), 1, Integer::sum);
            } else {
                deadLettersElsewhere++;
            }
        }
        List<String> withoutDeadLetter = new ArrayList<>();
        List<String> missingRejections = new ArrayList<>();
        for (TopicRecord m : malformed) {
            String id = malformedIds.get(m);
            if (!deadLettersPerAddress.containsKey(m.address())) {
                withoutDeadLetter.add(m.address() + (id == null ? "" : " (" + id + ")"));
            }
            if (id != null && !rejectedIds.contains(id)) {
                missingRejections.add(id + " (" + m.address() + ")");
            }
        }

        // duplicates
        List<Verification.Duplicate> duplicatedOutcomes = new ArrayList<>();
        long outcomesWithoutOrder = 0;
        for (Map.Entry<String, Integer> e : outcomesPerId.entrySet()) {
            int records = recordsPerId.getOrDefault(e.getKey(), 0);
            if (records == 0) {
                outcomesWithoutOrder += e.getValue();
            } else if (e.getValue() > records) {
                duplicatedOutcomes.add(new Verification.Duplicate(e.getKey(), e.getValue(), records));
            }
        }
        List<Verification.Duplicate> duplicatedDeadLetters = new ArrayList<>();
        deadLettersPerAddress.forEach((address, n) -> {
            if (n > 1) {
                duplicatedDeadLetters.add(new Verification.Duplicate(address, n, 1));
            }
        });

        // order per key
        Map<String, List<Outcome>> outcomesPerKey = new HashMap<>();
        for (Outcome o : outcomes) {
            outcomesPerKey.computeIfAbsent(String.valueOf(o.record().key()), _ -> new ArrayList<>()).add(o);
        }
        List<String> outOfOrder = new ArrayList<>();
        createdAtPerKey.forEach((key, createdAts) -> {
            if (createdAts.size() > 1) {
                outOfOrderIn(key, createdAts, outcomesPerKey.getOrDefault(key, List.of())).ifPresent(outOfOrder::add);
            }
        });

        // outcomes seen only with read_uncommitted
        Set<String> committedAddresses = new HashSet<>();
        history.results().forEach(r -> committedAddresses.add(r.address()));
        List<String> aborted = new ArrayList<>();
        long beyondStable = 0;
        for (TopicRecord r : history.uncommittedResults()) {
            if (r.offset() >= history.resultsCommittedEnd().getOrDefault(r.partition(), Long.MAX_VALUE)) {
                beyondStable++;
            } else if (!committedAddresses.contains(r.address())) {
                aborted.add(idOf(r, codec) + " (" + r.address() + ")");
            }
        }

        return new Verification(history.orders().size(), valid, malformed.size(), history.results().size(),
                unreadable, history.uncommittedResults().size(), history.deadLetters().size(), deadLettersElsewhere,
                lost, withoutDeadLetter, missingRejections, duplicatedOutcomes, duplicatedDeadLetters, outOfOrder,
                aborted, beyondStable, outcomesWithoutOrder);
    }

    /**
     * Adds to {@code lost} the orders of {@code id} that no outcome answers. An outcome answers the
     * order whose {@code createdAt} it names; one that names none of them (a rejection carries no
     * {@code orderCreatedAt}) answers one of the orders left over, so an id sent once is lost only
     * when it has no outcome at all.
     */
    private static void lostOf(String id, Map<Instant, String> orders, List<Instant> answeredCreatedAts,
            List<String> lost) {
        Set<Instant> answered = new HashSet<>();
        int unmatched = 0;
        for (Instant createdAt : answeredCreatedAts) {
            if (createdAt != null && orders.containsKey(createdAt)) {
                answered.add(createdAt);
            } else {
                unmatched++;
            }
        }
        for (Map.Entry<Instant, String> order : orders.entrySet()) {
            if (answered.contains(order.getKey())) {
                continue;
            }
            if (unmatched > 0) {
                unmatched--;
            } else {
                lost.add(id + " (" + order.getValue() + ")");
            }
        }
    }

    /**
     * The first outcome of each order, matched to its order by {@code orderCreatedAt}, must come in
     * the orders' offset order; empty when it does.
     */
    private static Optional<String> outOfOrderIn(String key, List<Instant> createdAts, List<Outcome> outcomes) {
        Map<Instant, Integer> position = new HashMap<>();
        for (int i = 0; i < createdAts.size(); i++) {
            position.putIfAbsent(createdAts.get(i), i);
        }
        Set<Integer> answered = new HashSet<>();
        int last = -1;
        String lastAddress = null;
        for (Outcome o : outcomes) {
            Integer p = o.outcome().orderCreatedAt() == null ? null : position.get(o.outcome().orderCreatedAt());
            if (p == null || !answered.add(p)) {
                continue;
            }
            if (p < last) {
                return Optional.of(key + ": outcome of order #" + (p + 1) + " at " + o.record().address()
                        + " comes after that of order #" + (last + 1) + " at " + lastAddress);
            }
            last = p;
            lastAddress = o.record().address();
        }
        return Optional.empty();
    }

    /** {@code topic/partition/offset} of the orders record a dead letter names, if it names one on {@code ordersTopic}. */
    private static Optional<String> originalAddress(TopicRecord deadLetter, String ordersTopic) {
        Optional<String> topic = deadLetter.header(DeadLetterHeaders.ORIGINAL_TOPIC);
        Optional<String> partition = deadLetter.header(DeadLetterHeaders.ORIGINAL_PARTITION);
        Optional<String> offset = deadLetter.header(DeadLetterHeaders.ORIGINAL_OFFSET);
        if (topic.isEmpty() || !topic.get().equals(ordersTopic) || partition.isEmpty() || offset.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ordersTopic + "/" + Integer.parseInt(partition.get().strip()) + "/"
                    + Long.parseLong(offset.get().strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String idOf(TopicRecord r, OrderCodec codec) {
        try {
            return codec.decodeOutcome(r.value()).orderId();
        } catch (IllegalArgumentException e) {
            return String.valueOf(r.key());
        }
    }
}
