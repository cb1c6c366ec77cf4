package dev.orderpipeline.cli.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orderpipeline.cli.kafka.TopicRecord;
import dev.orderpipeline.contract.DeadLetterHeaders;
import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.OrderStatus;
import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.contract.Simulation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The checks of {@code verify} on small histories; see {@link Verification} for their definitions. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DeliveryCheckTest {

    private static final OrderCodec CODEC = new OrderCodec();
    private static final Instant T = Instant.parse("2026-11-27T10:00:00Z");
    private static final String ORDERS = "orders";
    private static final String RESULTS = "order-results";
    private static final String DLT = "orders.DLT";

    /** A history built record by record; offsets are assigned per topic in call order, partition 0. */
    private static final class Builder {
        final List<TopicRecord> orders = new ArrayList<>();
        final List<TopicRecord> results = new ArrayList<>();
        final List<TopicRecord> uncommitted = new ArrayList<>();
        final List<TopicRecord> deadLetters = new ArrayList<>();
        long resultsOffset;
        long openFrom = -1;

        Builder order(String id, int second) {
            byte[] value = CODEC.encode(SampleOrders.order(id, T.plusSeconds(second), Simulation.NONE, new SplittableRandom(1)));
            orders.add(new TopicRecord(ORDERS, 0, orders.size(), T, id, value, List.of()));
            return this;
        }

        /** A record that is not an order; with an id when {@code id} is not null. */
        Builder malformed(String id) {
            String json = id == null ? "{oops" : "{\"schemaVersion\":1,\"orderId\":\"" + id + "\"}";
            orders.add(new TopicRecord(ORDERS, 0, orders.size(), T, id, bytes(json), List.of()));
            return this;
        }

        Builder outcome(String id, int createdSecond) {
            return committed(outcomeRecord(id, OrderStatus.SUCCEEDED, T.plusSeconds(createdSecond)));
        }

        Builder rejection(String id) {
            return committed(outcomeRecord(id, OrderStatus.REJECTED, null));
        }

        /** An outcome written in a transaction that was aborted: only read_uncommitted sees it. */
        Builder abortedOutcome(String id, int createdSecond) {
            uncommitted.add(outcomeRecord(id, OrderStatus.SUCCEEDED, T.plusSeconds(createdSecond)));
            return this;
        }

        /** An outcome of a transaction still open: past the last stable offset. */
        Builder openOutcome(String id, int createdSecond) {
            if (openFrom < 0) {
                openFrom = resultsOffset;
            }
            uncommitted.add(outcomeRecord(id, OrderStatus.SUCCEEDED, T.plusSeconds(createdSecond)));
            return this;
        }

        /** A dead letter of the orders record at {@code offset}. */
        Builder deadLetter(String key, long offset) {
            List<TopicRecord.Header> headers = List.of(
                    new TopicRecord.Header(DeadLetterHeaders.PROBLEM, bytes("MALFORMED_JSON")),
                    new TopicRecord.Header(DeadLetterHeaders.ORIGINAL_TOPIC, bytes(ORDERS)),
                    new TopicRecord.Header(DeadLetterHeaders.ORIGINAL_PARTITION, bytes("0")),
                    new TopicRecord.Header(DeadLetterHeaders.ORIGINAL_OFFSET, bytes(Long.toString(offset))));
            deadLetters.add(new TopicRecord(DLT, 0, deadLetters.size(), T, key, bytes("x"), headers));
            return this;
        }

        private Builder committed(TopicRecord r) {
            results.add(r);
            uncommitted.add(r);
            return this;
        }

        private TopicRecord outcomeRecord(String id, OrderStatus status, Instant createdAt) {
            ErrorClass error = status == OrderStatus.REJECTED ? ErrorClass.INVALID_ORDER : null;
            OrderOutcome o = new OrderOutcome(OrderOutcome.SCHEMA_VERSION, id, status, error,
                    error == null ? null : "bad", List.of(), 1, createdAt, T, T, "w");
            return new TopicRecord(RESULTS, 0, resultsOffset++, T, id, CODEC.encode(o), List.of());
        }

        Verification check() {
            long stable = openFrom < 0 ? resultsOffset : openFrom;
            return DeliveryCheck.check(new DeliveryCheck.History(ORDERS, orders, results, Map.of(0, stable),
                    uncommitted, deadLetters), CODEC);
        }
    }

    /** What a case must find; lists as the summary prints their items. */
    private record Want(List<String> lost, List<String> withoutDeadLetter, List<String> missingRejections,
            List<String> duplicated, List<String> duplicatedDeadLetters, int outOfOrder, List<String> aborted,
            long open) {

        static Want clean() {
            return new Want(List.of(), List.of(), List.of(), List.of(), List.of(), 0, List.of(), 0);
        }

        Want lost(String... ids) {
            return new Want(List.of(ids), withoutDeadLetter, missingRejections, duplicated, duplicatedDeadLetters,
                    outOfOrder, aborted, open);
        }

        Want withoutDeadLetter(String... addresses) {
            return new Want(lost, List.of(addresses), missingRejections, duplicated, duplicatedDeadLetters,
                    outOfOrder, aborted, open);
        }

        Want missingRejections(String... ids) {
            return new Want(lost, withoutDeadLetter, List.of(ids), duplicated, duplicatedDeadLetters, outOfOrder,
                    aborted, open);
        }

        Want duplicated(String... ids) {
            return new Want(lost, withoutDeadLetter, missingRejections, List.of(ids), duplicatedDeadLetters,
                    outOfOrder, aborted, open);
        }

        Want duplicatedDeadLetters(String... addresses) {
            return new Want(lost, withoutDeadLetter, missingRejections, duplicated, List.of(addresses), outOfOrder,
                    aborted, open);
        }

        Want outOfOrder(int keys) {
            return new Want(lost, withoutDeadLetter, missingRejections, duplicated, duplicatedDeadLetters, keys,
                    aborted, open);
        }

        Want aborted(long open, String... ids) {
            return new Want(lost, withoutDeadLetter, missingRejections, duplicated, duplicatedDeadLetters,
                    outOfOrder, List.of(ids), open);
        }
    }

    private record Case(String name, Builder history, Want want) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("clean", new Builder().order("a", 1).order("b", 2).outcome("a", 1).outcome("b", 2),
                        Want.clean()),
                new Case("a lost order", new Builder().order("a", 1).order("b", 2).outcome("b", 2),
                        Want.clean().lost("a (orders/0/0)")),
                new Case("a duplicate", new Builder().order("a", 1).outcome("a", 1).outcome("a", 1),
                        Want.clean().duplicated("a")),
                new Case("an order sent twice owes two outcomes", new Builder().order("a", 1).order("a", 2)
                        .outcome("a", 1).outcome("a", 2), Want.clean()),
                new Case("an order sent twice, one outcome: the other order is lost", new Builder().order("a", 1)
                        .order("a", 2).order("a", 3).outcome("a", 1).outcome("a", 3),
                        Want.clean().lost("a (orders/0/1)")),
                new Case("the same order twice, one outcome: nothing lost", new Builder().order("a", 1).order("a", 1)
                        .outcome("a", 1), Want.clean()),
                new Case("an outcome naming no order of its id answers one of them", new Builder().order("a", 1)
                        .order("a", 2).rejection("a").outcome("a", 2), Want.clean()),
                new Case("malformed with id, dead letter and rejection", new Builder().malformed("m")
                        .deadLetter("m", 0).rejection("m"), Want.clean()),
                new Case("malformed with id and dead letter, no rejection", new Builder().malformed("m")
                        .deadLetter("m", 0), Want.clean().missingRejections("m (orders/0/0)")),
                new Case("malformed without dead letter", new Builder().order("a", 1).malformed(null)
                        .outcome("a", 1), Want.clean().withoutDeadLetter("orders/0/1")),
                new Case("malformed with id, rejection but no dead letter", new Builder().malformed("m")
                        .rejection("m"), Want.clean().withoutDeadLetter("orders/0/0 (m)")),
                new Case("a dead letter naming another offset does not count", new Builder().malformed(null)
                        .deadLetter(null, 7), Want.clean().withoutDeadLetter("orders/0/0")),
                new Case("dead-lettered twice", new Builder().malformed(null).deadLetter(null, 0)
                        .deadLetter(null, 0), Want.clean().duplicatedDeadLetters("orders/0/0")),
                new Case("out of order key", new Builder().order("a", 1).order("a", 2).outcome("a", 2)
                        .outcome("a", 1), Want.clean().outOfOrder(1)),
                new Case("redelivery of an earlier order is not a reordering", new Builder().order("a", 1)
                        .order("a", 2).outcome("a", 1).outcome("a", 2).outcome("a", 1),
                        Want.clean().duplicated("a")),
                new Case("an aborted outcome", new Builder().order("a", 1).abortedOutcome("a", 1).outcome("a", 1),
                        Want.clean().aborted(0, "a (order-results/0/0)")),
                new Case("only an aborted outcome: lost", new Builder().order("a", 1).abortedOutcome("a", 1),
                        Want.clean().lost("a (orders/0/0)").aborted(0, "a (order-results/0/0)")),
                new Case("an outcome of an open transaction", new Builder().order("a", 1).order("b", 2)
                        .outcome("a", 1).openOutcome("b", 2),
                        Want.clean().lost("b (orders/0/1)").aborted(1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void check_findsWhatTheHistoryHolds(Case c) {
        Verification got = c.history().check();

        assertEquals(c.want().lost(), got.lostOrders(), c.name() + ": lost");
        assertEquals(c.want().withoutDeadLetter(), got.malformedWithoutDeadLetter(), c.name() + ": without dead letter");
        assertEquals(c.want().missingRejections(), got.missingRejections(), c.name() + ": missing rejections");
        assertEquals(c.want().duplicated(), got.duplicatedOutcomes().stream().map(Verification.Duplicate::what).toList(),
                c.name() + ": duplicated outcomes");
        assertEquals(c.want().duplicatedDeadLetters(),
                got.duplicatedDeadLetters().stream().map(Verification.Duplicate::what).toList(),
                c.name() + ": duplicated dead letters");
        assertEquals(c.want().outOfOrder(), got.outOfOrder().size(), c.name() + ": out of order " + got.outOfOrder());
        assertEquals(c.want().aborted(), got.abortedOutcomes(), c.name() + ": aborted");
        assertEquals(c.want().open(), got.beyondStableOffset(), c.name() + ": past the last stable offset");
    }

    @Test
    void outOfOrder_namesTheKeyAndBothOutcomes() {
        Verification got = new Builder().order("a", 1).order("a", 2).outcome("a", 2).outcome("a", 1).check();

        assertEquals(List.of("a: outcome of order #1 at order-results/0/1 comes after that of order #2 at order-results/0/0"),
                got.outOfOrder());
    }

    @Test
    void verdict_failsOnLoss_andOnDuplicatesOnlyUnderExactlyOnce() {
        Verification duplicate = new Builder().order("a", 1).outcome("a", 1).outcome("a", 1).check();
        Verification lost = new Builder().order("a", 1).order("b", 1).order("c", 1).outcome("b", 1).check();

        assertEquals("verdict: OK", VerifyReport.verdict(duplicate, Verification.Guarantee.AT_LEAST_ONCE));
        assertEquals("verdict: FAILED (duplicated 1)", VerifyReport.verdict(duplicate, Verification.Guarantee.EXACTLY_ONCE));
        assertEquals("verdict: FAILED (lost 2)", VerifyReport.verdict(lost, Verification.Guarantee.AT_LEAST_ONCE));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
