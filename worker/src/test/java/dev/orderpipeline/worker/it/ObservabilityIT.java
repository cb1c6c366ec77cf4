package dev.orderpipeline.worker.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.contract.Simulation;
import dev.orderpipeline.contract.StepFault;
import dev.orderpipeline.worker.app.Worker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real worker on the test broker, watched the way an operator watches it: Prometheus scrapes
 * {@code /metrics}, the kubelet calls {@code /health/live} and {@code /health/ready}.
 */
@Timeout(180)
class ObservabilityIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String scrape(int port) throws IOException, InterruptedException {
        HttpResponse<String> response = get(port, "/metrics");
        assertEquals(200, response.statusCode(), response::body);
        return response.body();
    }

    @Test
    void metricsAndHealth_showWhatTheWorkerDid_andStopServingWhenItStops() throws Exception {
        Random random = new Random(7);
        try (PipelineTopics topics = new PipelineTopics("observe-it")) {
            Worker worker = Worker.start(WorkerIT.config(topics, Duration.ofSeconds(2)), Clock.systemUTC());
            int port = worker.httpPort();
            try {
                await("ready: partitions assigned").atMost(WAIT)
                        .until(() -> get(port, "/health/ready").statusCode() == 200);

                topics.send(SampleOrders.order("obs-ok-1", Instant.now(), null, random));
                topics.send(SampleOrders.order("obs-ok-2", Instant.now(), null, random));
                topics.send(SampleOrders.order("obs-declined", Instant.now(), Simulation.payment(StepFault.FAIL), random));
                topics.sendRaw("obs-bad-json".getBytes(StandardCharsets.UTF_8),
                        "{\"orderId\": \"obs-bad-json\", ".getBytes(StandardCharsets.UTF_8), List.of());
                await("outcomes and the dead letter").atMost(WAIT).until(() ->
                        topics.allHaveOutcomes(Set.of("obs-ok-1", "obs-ok-2", "obs-declined"))
                                && topics.deadLetters().size() == 1);

                // Counted after the broker acknowledged the result: by now, or a moment later.
                await("counters scraped").atMost(WAIT).untilAsserted(() -> {
                    String metrics = scrape(port);
                    assertLine(metrics, "orders_processed_total{error_class=\"none\",status=\"succeeded\"} 2.0");
                    assertLine(metrics, "orders_processed_total{error_class=\"payment_declined\",status=\"failed\"} 1.0");
                    assertLine(metrics, "dead_letters_total{problem=\"MALFORMED_JSON\"} 1.0");
                });
                String metrics = scrape(port);
                assertLine(metrics, "dead_letters_total{problem=\"RULE_VIOLATION\"} 0.0");
                assertLine(metrics, "order_duration_seconds_count{status=\"succeeded\"} 2");
                assertLine(metrics, "order_duration_seconds_count{status=\"failed\"} 1");
                assertLine(metrics, "order_step_duration_seconds_count{status=\"failed\",step=\"payment\"} 1");
                assertLine(metrics, "order_step_duration_seconds_count{status=\"succeeded\",step=\"payment\"} 2");
                // One call of payment per order: no retries configured here.
                assertLine(metrics, "step_attempt_duration_seconds_count{result=\"succeeded\",step=\"payment\"} 2");
                assertLine(metrics, "step_attempt_duration_seconds_count{result=\"failed\",step=\"payment\"} 1");
                assertLine(metrics, "step_attempt_duration_seconds_bucket{result=\"failed\",step=\"payment\",le=\"+Inf\"} 1");
                assertLine(metrics, "step_threads_running 0.0");
                assertLine(metrics, "orders_max_in_flight 64.0");
                assertLine(metrics, "courier_pool_size 8.0");
                assertLine(metrics, "courier_pool_in_use 0.0");
                assertLine(metrics, "records_skipped_total{reason=\"finished_earlier\"} 0.0");
                assertTrue(metrics.contains("commit_lag_records{partition=\"0\",topic=\"" + topics.orders + "\"}"),
                        () -> "no commit lag of partition 0 in\n" + metrics);
                assertTrue(metrics.contains("kafka_consumer_fetch_manager_records_consumed_total{"),
                        () -> "no Kafka consumer metrics in\n" + metrics);
                assertTrue(metrics.contains("kafka_producer_record_send_total{"), () -> "no Kafka producer metrics in\n" + metrics);
                assertTrue(metrics.contains("jvm_gc_"), () -> "no JVM GC metrics in\n" + metrics);

                // Every record committed: nothing fetched is left uncommitted.
                await("commit lag back to zero").atMost(WAIT).untilAsserted(() -> {
                    String now = scrape(port);
                    for (int p = 0; p < PipelineTopics.PARTITIONS; p++) {
                        assertLine(now, "commit_lag_records{partition=\"" + p + "\",topic=\"" + topics.orders + "\"} 0.0");
                    }
                });

                HttpResponse<String> live = get(port, "/health/live");
                assertEquals(200, live.statusCode(), live::body);
                HttpResponse<String> ready = get(port, "/health/ready");
                assertEquals(200, ready.statusCode(), ready::body);
                assertTrue(ready.body().startsWith("{\"status\":\"UP\",\"partitions\":3,"), ready::body);
            } finally {
                worker.requestStop();
                worker.close();
            }

            assertThrows(IOException.class, () -> get(port, "/health/live"), "live must not be served by a stopped worker");
        }
    }

    private static void assertLine(String metrics, String want) {
        assertTrue(metrics.lines().anyMatch(want::equals), () -> "want the line\n  " + want + "\nin:\n"
                + metrics.lines().filter(l -> l.startsWith(want.substring(0, want.indexOf('{') > 0 ? want.indexOf('{') : want.indexOf(' '))))
                .reduce("", (a, b) -> a + b + "\n"));
    }
}
