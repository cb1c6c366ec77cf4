package dev.orderpipeline.worker.it;

import static org.awaitility.Awaitility.await;

import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.OrderStatus;
import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.stubs.StubServices;
import dev.orderpipeline.worker.app.Worker;
import dev.orderpipeline.worker.config.Delivery;
import dev.orderpipeline.worker.config.ServiceGuarding;
import dev.orderpipeline.worker.config.StepServices;
import dev.orderpipeline.worker.config.WorkerConfig;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.StreamSupport;

/**
 * One run of the worker over HTTP with the vendor service down for a while, under a backlog:
 * the orders are on the topic before the worker starts, the vendor goes down once the first
 * outcome is out, and the run ends when every order has its outcome. What a user would notice
 * is collected in a {@link Result} and appended to {@code target/vendor-outage-runs.txt}, the
 * numbers of docs/operations.md's table.
 */
final class VendorOutageRun {

    /** How the vendor misbehaves. */
    enum Outage {
        /** Down for 10 s, then up for good. */
        TEN_SECONDS,
        /** Down every other 2 s for 16 s, then up for good. */
        FLAPPING,
        /** Down from before the worker starts, for good. */
        PERMANENT
    }

    /**
     * What a run came to.
     *
     * @param failed        orders whose (first) outcome is failed
     * @param delayed       orders that succeeded after the outage ended: they waited instead of failing
     * @param longestDelay  from the outage's start to the last outcome
     * @param authorised    payments the payment service authorised
     * @param voided        payments it voided (the undo of a failed order)
     * @param unvoided      failed orders whose payment the provider authorised and never voided
     * @param transitions   the vendor breaker's transitions
     * @param rebalances    consumer rebalances during the run, after the first assignment
     * @param readyWhileDown {@code /health/ready} (status and body) while the vendor breaker was
     *                       not closed, or {@code null} if it never was while looked at
     * @param metricsWhileDown the vendor breaker's lines of {@code /metrics} at the same moment
     */
    record Result(String name, int sent, int answered, int failed, Map<ErrorClass, Long> failedBy, int delayed,
                  Duration longestDelay, long authorised, long voided, int unvoided, long transitions, double rebalances,
                  int duplicates, Duration firstToLastOutcome, String readyWhileDown, String metricsWhileDown) {

        String line() {
            return String.format("%-34s sent %5d answered %5d failed %5d %s delayed %5d longest-delay %6d ms "
                            + "authorised %5d voided %5d unvoided %d breaker-transitions %3d rebalances %.0f duplicates %d",
                    name, sent, answered, failed, failedBy, delayed, longestDelay.toMillis(), authorised, voided,
                    unvoided, transitions, rebalances, duplicates);
        }
    }

    static final Duration TEN_SECONDS = Duration.ofSeconds(10);
    static final int MAX_IN_FLIGHT = 32;

    private VendorOutageRun() {
    }

    /** The guarding of these runs: quick to open and to probe, so a 10 s outage shows several cycles. */
    static ServiceGuarding guarding(boolean breakers, Duration longestPause) {
        return new ServiceGuarding(breakers, 50, 10, Duration.ofSeconds(2), 2, longestPause, 16);
    }

    static Result run(String name, int orderCount, Outage outage, Delivery delivery, ServiceGuarding guarding)
            throws Exception {
        try (PipelineTopics topics = new PipelineTopics(name);
             StubServices stub = StubServices.start(0, StubServices.Behaviour.succeeding(Duration.ofMillis(5)),
                     new SplittableRandom(7))) {
            WorkerConfig config = topics.workerConfig()
                    .workerId(name + "-worker")
                    .delivery(delivery)
                    .orderDeadline(Duration.ofSeconds(2))
                    .maxInFlight(MAX_IN_FLIGHT)
                    .drainBudget(Duration.ofSeconds(20))
                    .commitInterval(Duration.ofMillis(200))
                    .services(new StepServices(stub.baseUrl(), stub.baseUrl(), stub.baseUrl()))
                    .guarding(guarding)
                    .build();
            List<OrderPlaced> orders = new ArrayList<>();
            Random random = new Random(11);
            for (int i = 0; i < orderCount; i++) {
                orders.add(SampleOrders.order(name + "-" + i, Instant.now(), null, random));
            }
            topics.sendAll(orders); // the backlog waits before the worker starts
            if (outage == Outage.PERMANENT) {
                stub.outage(StubServices.Service.VENDOR, null);
            }
            Worker worker = Worker.start(config, Clock.systemUTC());
            Instant outageStart;
            Instant outageEnd;
            double rebalancesBefore;
            double rebalancesAfter;
            String[] whileDown = new String[2];
            Thread flapper = null;
            try {
                await("the first outcome").atMost(Duration.ofSeconds(60)).until(() -> !topics.outcomes().isEmpty());
                rebalancesBefore = rebalances(worker.stats().registry());
                outageStart = Instant.now();
                switch (outage) {
                    case TEN_SECONDS -> {
                        // Over the stub's admin endpoint, as an operator's script would.
                        takeVendorDown(stub.baseUrl(), TEN_SECONDS);
                        outageEnd = outageStart.plus(TEN_SECONDS);
                    }
                    case FLAPPING -> {
                        flapper = Thread.ofVirtual().start(() -> flap(stub));
                        outageEnd = outageStart.plusSeconds(16);
                    }
                    case PERMANENT -> outageEnd = Instant.MAX;
                    default -> throw new IllegalStateException();
                }
                if (outage == Outage.TEN_SECONDS && guarding.breakers()) {
                    // What an operator sees while the breaker holds the backlog back.
                    await("ready names the vendor breaker").atMost(TEN_SECONDS).pollInterval(Duration.ofMillis(100))
                            .until(() -> {
                                whileDown[0] = get(worker.httpPort(), "/health/ready");
                                return whileDown[0].contains("\"degraded\"");
                            });
                    whileDown[1] = get(worker.httpPort(), "/metrics").lines()
                            .filter(l -> l.startsWith("circuit_breaker_") && l.contains("service=\"vendor\""))
                            .filter(l -> !l.contains("transitions_total") || !l.endsWith(" 0.0"))
                            .collect(java.util.stream.Collectors.joining("\n"));
                    System.out.println("while the vendor is down:\n" + whileDown[0] + "\n" + whileDown[1]);
                }
                await("every outcome").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                        .until(() -> topics.outcomes().size() == orders.size());
                if (flapper != null) {
                    flapper.join();
                }
                rebalancesAfter = rebalances(worker.stats().registry()); // before close() drops the client's meters
            } finally {
                if (flapper != null) {
                    flapper.interrupt();
                }
                worker.requestStop();
                worker.close();
            }
            double rebalances = rebalancesAfter - rebalancesBefore;
            long transitions = Math.round(worker.stats().registry().find("circuit.breaker.transitions")
                    .tag("service", "vendor").counters().stream().mapToDouble(c -> c.count()).sum());
            Map<String, List<OrderOutcome>> outcomes = topics.outcomes();
            int failed = 0;
            int unvoided = 0;
            int delayed = 0;
            Instant first = Instant.MAX;
            Instant last = Instant.MIN;
            Map<ErrorClass, Long> failedBy = new java.util.EnumMap<>(ErrorClass.class);
            for (List<OrderOutcome> answers : outcomes.values()) {
                OrderOutcome o = answers.getFirst();
                first = o.completedAt().isBefore(first) ? o.completedAt() : first;
                last = o.completedAt().isAfter(last) ? o.completedAt() : last;
                if (o.status() == OrderStatus.FAILED) {
                    failed++;
                    String payment = o.orderId() + ":payment";
                    if (stub.charges(payment) == 1 && stub.undos(payment) == 0) {
                        unvoided++;
                        if (unvoided <= 3) {
                            System.out.println("authorised, not voided: " + o);
                        }
                    }
                    failedBy.merge(o.errorClass(), 1L, Long::sum);
                } else if (o.status() == OrderStatus.SUCCEEDED && o.completedAt().isAfter(outageEnd)) {
                    delayed++;
                }
            }
            Result result = new Result(name, orders.size(), outcomes.size(), failed, failedBy, delayed,
                    Duration.between(outageStart, last), stub.actions(StubServices.Service.PAYMENT),
                    stub.undos(StubServices.Service.PAYMENT), unvoided, transitions, rebalances, topics.duplicates().size(),
                    Duration.between(first, last), whileDown[0], whileDown[1]);
            record(result);
            return result;
        }
    }

    private static void takeVendorDown(URI stub, Duration duration) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(
                            stub.resolve(StubServices.OUTAGE_PATH + "vendor?ms=" + duration.toMillis()))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("the stub refused the outage: " + answer.body());
            }
        }
    }

    /** {@code <status> <body>} of a GET to the worker's own HTTP endpoints. */
    private static String get(int port, String path) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() + " " + answer.body();
        }
    }

    /** Down 2 s, up 2 s, four times; then up. On its own thread. */
    private static void flap(StubServices stub) {
        try {
            for (int i = 0; i < 4; i++) {
                stub.outage(StubServices.Service.VENDOR, Duration.ofSeconds(2));
                Thread.sleep(Duration.ofSeconds(4)); // the outage's clock, not a test's synchronisation
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stub.outage(StubServices.Service.VENDOR, Duration.ZERO);
        }
    }

    /** The consumer's rebalances so far, as its client counts them. */
    private static double rebalances(MeterRegistry registry) {
        return registry.getMeters().stream()
                .filter(m -> m.getId().getName().endsWith("rebalance.total"))
                .filter(m -> !m.getId().getName().contains("failed"))
                .mapToDouble(VendorOutageRun::value)
                .sum();
    }

    private static double value(Meter meter) {
        return StreamSupport.stream(meter.measure().spliterator(), false).mapToDouble(m -> m.getValue()).sum();
    }

    private static void record(Result result) throws IOException {
        System.out.println("vendor outage run: " + result.line());
        Path file = Path.of("target", "vendor-outage-runs.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, result.line() + System.lineSeparator(), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
