package dev.orderpipeline.worker.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.Compensation;
import dev.orderpipeline.contract.CompensationStatus;
import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.OrderStatus;
import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.contract.Simulation;
import dev.orderpipeline.contract.StepFault;
import dev.orderpipeline.contract.StepName;
import dev.orderpipeline.contract.StepResult;
import dev.orderpipeline.contract.StepStatus;
import dev.orderpipeline.worker.app.Worker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Retries, compensation and idempotency on a real broker, through the worker's composition root
 * with its default retry policy: what a user sees on {@code order-results}, in the payment
 * provider's ledger and in the worker's counters.
 */
@Timeout(180)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecoveryIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private PipelineTopics topics;
    private Worker worker;
    private final Random random = new Random(2027);

    @BeforeAll
    void startWorker() throws Exception {
        topics = new PipelineTopics("recovery-it");
        worker = Worker.start(WorkerIT.config(topics, Duration.ofSeconds(2)), Clock.systemUTC());
    }

    @AfterAll
    void stopWorker() throws Exception {
        if (worker != null) {
            worker.requestStop();
            worker.close();
        }
        if (topics != null) {
            topics.close();
        }
    }

    private OrderPlaced order(String id, Simulation simulation) {
        return SampleOrders.order(id, Instant.now(), simulation, random);
    }

    @Test
    void sameOrderSentTwice_twoOutcomes_oneCharge() throws Exception {
        OrderPlaced order = order("rit-twice", null);
        topics.send(order);
        topics.send(order);

        await("two outcomes").atMost(WAIT)
                .until(() -> topics.outcomes().getOrDefault(order.orderId(), List.of()).size() == 2);
        List<OrderOutcome> outcomes = topics.outcomes().get(order.orderId());
        assertTrue(outcomes.stream().allMatch(o -> o.status() == OrderStatus.SUCCEEDED), () -> "outcomes " + outcomes);
        assertEquals(outcomes.get(0).steps().getFirst().detail(), outcomes.get(1).steps().getFirst().detail(),
                "both outcomes name the one authorisation");
        assertEquals(1, worker.payments().charges(order.orderId() + ":payment"), "charged once for two deliveries");
        System.gc(); // the meter must survive a collection (Micrometer holds its state weakly)
        double charged = worker.stats().registry().get("payments.charged").functionCounter().count();
        assertEquals(worker.payments().charges(), (long) charged, "payments_charged_total follows the ledger");
    }

    @Test
    void flakyVendor_recovers_orderSucceedsWithTwoAttempts_andTheRetryIsCounted() throws Exception {
        OrderPlaced order = order("rit-flaky", Simulation.vendor(StepFault.FLAKY));
        topics.send(order);

        await("outcome").atMost(WAIT).until(() -> topics.outcomes().containsKey(order.orderId()));
        OrderOutcome outcome = topics.onlyOutcome(order.orderId());
        assertEquals(OrderStatus.SUCCEEDED, outcome.status(), () -> "outcome " + outcome);
        assertEquals(2, outcome.attempt());
        StepResult vendor = outcome.steps().stream().filter(s -> s.step() == StepName.VENDOR).findFirst().orElseThrow();
        assertEquals(2, vendor.attempts(), () -> "vendor " + vendor);
        assertTrue(worker.stats().retries().getOrDefault("vendor/vendor_unavailable", 0L) >= 1,
                () -> "retries counted " + worker.stats().retries());
        assertEquals(1, worker.payments().charges(order.orderId() + ":payment"));
    }

    @Test
    void vendorDown_orderFails_andEveryStepThatSucceededIsUndone() throws Exception {
        OrderPlaced order = order("rit-undo", Simulation.vendor(StepFault.FAIL));
        topics.send(order);

        await("outcome").atMost(WAIT).until(() -> topics.outcomes().containsKey(order.orderId()));
        OrderOutcome outcome = topics.onlyOutcome(order.orderId());
        assertEquals(ErrorClass.VENDOR_UNAVAILABLE, outcome.errorClass(), () -> "outcome " + outcome);
        assertEquals(3, outcome.attempt(), "the vendor used the default three attempts");
        Set<StepName> succeeded = outcome.steps().stream().filter(s -> s.status() == StepStatus.SUCCEEDED)
                .map(StepResult::step).collect(Collectors.toSet());
        Set<StepName> undone = outcome.compensations().stream().filter(c -> c.status() == CompensationStatus.COMPENSATED)
                .map(Compensation::step).collect(Collectors.toSet());
        // The vendor's three attempts and two waits outlast the other two steps, so both succeed
        // first: without that, an empty set would equal an empty set and prove nothing.
        assertEquals(Set.of(StepName.PAYMENT, StepName.COURIER), succeeded, () -> "steps " + outcome.steps());
        assertEquals(succeeded, undone, () -> "steps " + outcome.steps() + ", compensations " + outcome.compensations());
        assertEquals(1, worker.payments().charges(order.orderId() + ":payment"), "the payment was authorised once");
        assertFalse(worker.payments().holds(order.orderId() + ":payment"), "the authorisation is still held");
        assertEquals(0, worker.couriers().inUse(), "a courier is still taken");
    }
}
