package dev.orderpipeline.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orderpipeline.cli.kafka.TopicRecord;
import dev.orderpipeline.contract.DeadLetterHeaders;
import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.OrderStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FollowFilterTest {

    private static final Instant T = Instant.parse("2026-11-27T10:00:00Z");

    private static final FollowedEvent SUCCEEDED = outcome("a", OrderStatus.SUCCEEDED, null);
    private static final FollowedEvent DECLINED = outcome("b", OrderStatus.FAILED, ErrorClass.PAYMENT_DECLINED);
    private static final FollowedEvent DEAD_LETTER = new FollowedEvent.DeadLetter(new TopicRecord("dlt", 0, 0, T, "c",
            new byte[0], List.of(new TopicRecord.Header(DeadLetterHeaders.ERROR_CLASS,
                    "invalid_order".getBytes(StandardCharsets.UTF_8)))));
    private static final FollowedEvent KEYLESS_DEAD_LETTER = new FollowedEvent.DeadLetter(
            new TopicRecord("dlt", 0, 1, T, null, new byte[0], List.of()));

    private record Case(String name, FollowFilter filter, FollowedEvent event, boolean want) {
    }

    @Test
    void accepts_matchesEachKindOfFilter_andTreatsMissingFieldsAsNoMatch() {
        FollowFilter none = new FollowFilter(Set.of(), Set.of(), Set.of());
        FollowFilter failed = new FollowFilter(Set.of(OrderStatus.FAILED), Set.of(), Set.of());
        FollowFilter declined = new FollowFilter(Set.of(), Set.of(ErrorClass.PAYMENT_DECLINED), Set.of());
        FollowFilter invalid = new FollowFilter(Set.of(), Set.of(ErrorClass.INVALID_ORDER), Set.of());
        FollowFilter idsBC = new FollowFilter(Set.of(), Set.of(), Set.of("b", "c"));
        List<Case> cases = List.of(
                new Case("no filter, outcome", none, SUCCEEDED, true),
                new Case("no filter, dead letter", none, DEAD_LETTER, true),
                new Case("status matches", failed, DECLINED, true),
                new Case("status differs", failed, SUCCEEDED, false),
                new Case("status filter hides dead letters", failed, DEAD_LETTER, false),
                // Regression: a success has no error class, and Set.copyOf().contains(null) threw.
                new Case("error class on a success", declined, SUCCEEDED, false),
                new Case("error class matches", declined, DECLINED, true),
                new Case("dead letter error class header", invalid, DEAD_LETTER, true),
                new Case("order id matches outcome", idsBC, DECLINED, true),
                new Case("order id matches dead letter key", idsBC, DEAD_LETTER, true),
                new Case("order id differs", idsBC, SUCCEEDED, false),
                new Case("keyless dead letter and an id filter", idsBC, KEYLESS_DEAD_LETTER, false));
        for (Case c : cases) {
            assertEquals(c.want(), c.filter().accepts(c.event()), c.name() + ": " + c.filter() + " on " + c.event());
        }
    }

    private static FollowedEvent outcome(String id, OrderStatus status, ErrorClass errorClass) {
        OrderOutcome o = new OrderOutcome(1, id, status, errorClass, null, List.of(), 1, T, T, T, "w");
        return new FollowedEvent.Outcome(new TopicRecord("results", 0, 0, T, id, new byte[0], List.of()), o);
    }
}
