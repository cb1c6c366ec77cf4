package dev.orderpipeline.cli.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.cli.kafka.TopicRecord;
import dev.orderpipeline.contract.Compensation;
import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.OrderStatus;
import dev.orderpipeline.contract.StepName;
import dev.orderpipeline.contract.StepResult;
import dev.orderpipeline.contract.StepStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The human line of {@code follow} shows retries and what a failed order undid. */
class FollowFormatTest {

    private static final Instant T = Instant.parse("2026-11-27T10:00:00Z");

    private static String line(OrderOutcome outcome) {
        TopicRecord record = new TopicRecord("order-results", 0, 7, T, outcome.orderId(), new byte[0], List.of());
        return FollowFormat.human(new FollowedEvent.Outcome(record, outcome));
    }

    @Test
    void retriedStep_showsItsAttempts_andAFailedOrder_whatItUndid() {
        OrderOutcome outcome = new OrderOutcome(OrderOutcome.SCHEMA_VERSION, "ord-9", OrderStatus.FAILED,
                ErrorClass.VENDOR_UNAVAILABLE, "vendor down",
                List.of(new StepResult(StepName.PAYMENT, StepStatus.SUCCEEDED, 1_000, "auth-9"),
                        new StepResult(StepName.VENDOR, StepStatus.FAILED, 160_000, "vendor_unavailable: down", 3),
                        new StepResult(StepName.COURIER, StepStatus.SUCCEEDED, 1_000, "courier-2")),
                3, T, T, T.plusMillis(200), "w",
                List.of(Compensation.compensated(StepName.PAYMENT, "voided auth-9"),
                        Compensation.failed(StepName.COURIER, ErrorClass.TIMEOUT, "too late")));

        String line = line(outcome);

        assertTrue(line.contains("payment=succeeded(1.0ms) vendor=failed(160.0ms x3) courier=succeeded(1.0ms)"),
                () -> "got " + line);
        assertTrue(line.contains(" undone=payment not-undone=courier:timeout  latency 200.0ms"), () -> "got " + line);
    }

    @Test
    void orderWithoutRetriesOrUndo_readsAsBefore() {
        OrderOutcome outcome = new OrderOutcome(OrderOutcome.SCHEMA_VERSION, "ord-1", OrderStatus.SUCCEEDED, null, null,
                List.of(new StepResult(StepName.PAYMENT, StepStatus.SUCCEEDED, 2_000, "auth-1")), 1, T, T, T.plusMillis(5),
                "w");

        String line = line(outcome);

        assertTrue(line.endsWith("payment=succeeded(2.0ms)  latency 5.0ms"), () -> "got " + line);
    }
}
