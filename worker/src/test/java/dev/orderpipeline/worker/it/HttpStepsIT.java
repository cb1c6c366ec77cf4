package dev.orderpipeline.worker.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.OrderStatus;
import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.stubs.StubServices;
import dev.orderpipeline.worker.app.Worker;
import dev.orderpipeline.worker.config.StepServices;
import dev.orderpipeline.worker.config.WorkerConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The worker calling real HTTP services (the stub) instead of simulating them: outcomes follow
 * the services' answers, and an order placed twice is charged once.
 */
@Timeout(120)
class HttpStepsIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void worker_callsTheServicesOverHttp_mapsTheirAnswers_andChargesAnOrderOnce() throws Exception {
        try (PipelineTopics topics = new PipelineTopics("http-steps");
             StubServices stub = StubServices.start(0, StubServices.Behaviour.succeeding(Duration.ofMillis(10)),
                     new SplittableRandom(1))) {
            WorkerConfig config = topics.workerConfig()
                    .workerId("http-worker")
                    .orderDeadline(Duration.ofSeconds(5))
                    .maxInFlight(64)
                    .drainBudget(Duration.ofSeconds(20))
                    .commitInterval(Duration.ofMillis(200))
                    .courierPoolSize(8)
                    .services(new StepServices(stub.baseUrl(), stub.baseUrl(), stub.baseUrl()))
                    .build();
            Worker worker = Worker.start(config, Clock.systemUTC());
            try {
                OrderPlaced paid = SampleOrders.order("http-1", Instant.now(), null, new Random(1));
                topics.send(paid);
                await("outcome of the first order").atMost(WAIT).until(() -> topics.outcomes().containsKey("http-1"));
                assertEquals(OrderStatus.SUCCEEDED, topics.onlyOutcome("http-1").status(), () -> topics.outcomes().toString());

                // The same order again (a sender's retry): answered again, charged once.
                topics.send(paid);
                await("second outcome").atMost(WAIT).until(() -> topics.outcomes().get("http-1").size() == 2);
                assertEquals(OrderStatus.SUCCEEDED, topics.outcomes().get("http-1").get(1).status());
                assertEquals(1, stub.charges("http-1:payment"), "the same order was charged twice");

                stub.behave(StubServices.Service.PAYMENT, StubServices.Behaviour.failing(402, Duration.ofMillis(5)));
                topics.send(SampleOrders.order("http-2", Instant.now(), null, new Random(2)));
                await("outcome of the declined order").atMost(WAIT).until(() -> topics.outcomes().containsKey("http-2"));
                OrderOutcome declined = topics.onlyOutcome("http-2");
                assertEquals(ErrorClass.PAYMENT_DECLINED, declined.errorClass(), declined::toString);
                assertEquals(0, stub.charges("http-2:payment"));
            } finally {
                worker.requestStop();
                worker.close();
            }
            assertEquals(0, worker.tracker().running());
            assertEquals(java.util.Set.of("http-1"), topics.duplicates(), "only the order placed twice has two outcomes");
        }
    }

    /**
     * Back-pressure seen from outside the worker: the payment service counts the calls it has in
     * progress at once. Every order calls it once, for most of its life, so a backlog far above
     * {@code --max-in-flight} reaches the limit there and never passes it.
     */
    @Test
    void backlogAboveTheLimit_thePaymentServiceSeesAtMostTheLimitOfCallsAtOnce() throws Exception {
        int limit = 16;
        try (PipelineTopics topics = new PipelineTopics("http-limit");
             StubServices stub = StubServices.start(0, StubServices.Behaviour.succeeding(Duration.ofMillis(200)),
                     new SplittableRandom(2))) {
            WorkerConfig config = topics.workerConfig()
                    .workerId("http-limit-worker")
                    .orderDeadline(Duration.ofSeconds(10))
                    .maxInFlight(limit)
                    .drainBudget(Duration.ofSeconds(20))
                    .commitInterval(Duration.ofMillis(200))
                    .services(new StepServices(stub.baseUrl(), stub.baseUrl(), stub.baseUrl()))
                    .build();
            List<OrderPlaced> orders = new ArrayList<>();
            Random random = new Random(3);
            for (int i = 0; i < 300; i++) {
                orders.add(SampleOrders.order("http-limit-" + i, Instant.now(), null, random));
            }
            topics.sendAll(orders); // the whole backlog waits before the worker starts
            Worker worker = Worker.start(config, Clock.systemUTC());
            try {
                await("every outcome").atMost(WAIT).until(() -> topics.outcomes().size() == orders.size());
            } finally {
                worker.requestStop();
                worker.close();
            }
            assertEquals(limit, stub.peakConcurrentCalls(StubServices.Service.PAYMENT),
                    "payment calls in progress at once, as the payment service counted them");
            assertTrue(topics.outcomes().values().stream().allMatch(o -> o.getFirst().status() == OrderStatus.SUCCEEDED),
                    () -> "outcomes " + topics.outcomes());
        }
    }
}
