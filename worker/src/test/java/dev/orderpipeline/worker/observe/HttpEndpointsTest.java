package dev.orderpipeline.worker.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.DecodedOrder;
import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.OrderStatus;
import dev.orderpipeline.contract.StepName;
import dev.orderpipeline.contract.StepResult;
import dev.orderpipeline.contract.StepStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP endpoints on a free port, called as a scraper and a kubelet would call them. */
@Timeout(30)
class HttpEndpointsTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final Duration STALE_AFTER = Duration.ofSeconds(10);

    private final MutableClock clock = new MutableClock(T0);
    private final PollHealth poll = new PollHealth(T0);
    private final HttpClient client = HttpClient.newHttpClient();
    private Metrics metrics;
    private WorkerMetrics workerMetrics;
    private HttpEndpoints endpoints;
    // Stands in for the broker's listener: liveness only asks whether it accepts connections.
    private ServerSocket broker;
    private KafkaReachability kafka;

    @BeforeEach
    void start() throws IOException {
        metrics = Metrics.create();
        workerMetrics = new WorkerMetrics(metrics.registry());
        broker = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        kafka = KafkaReachability.of("127.0.0.1:" + broker.getLocalPort(), clock);
        endpoints = HttpEndpoints.start(0, metrics, new HealthCheck(poll, STALE_AFTER, kafka, clock));
    }

    @AfterEach
    void stop() throws IOException {
        broker.close();
        endpoints.close();
        metrics.close();
        client.close();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoints.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertAnswer(HttpResponse<String> response, int wantStatus, String wantBody) {
        assertEquals(wantStatus, response.statusCode(), () -> response.uri() + " answered " + response.body());
        assertEquals(wantBody, response.body(), () -> response.uri() + " status " + response.statusCode());
    }

    private static void assertContains(String body, String want) {
        assertTrue(body.contains(want), () -> "want a line containing\n  " + want + "\ngot:\n" + body);
    }

    @Test
    void metrics_servePrometheusText_withTheCountersAUserLooksAt() throws Exception {
        Instant received = T0;
        workerMetrics.outcome(new OrderOutcome(OrderOutcome.SCHEMA_VERSION, "ord-1", OrderStatus.FAILED,
                ErrorClass.PAYMENT_DECLINED, "declined", List.of(
                        new StepResult(StepName.PAYMENT, StepStatus.FAILED, 20_000, "payment_declined: declined"),
                        new StepResult(StepName.VENDOR, StepStatus.CANCELLED, 21_000, null)),
                1, received, received, received.plusMillis(25), "w"));
        workerMetrics.deadLetter(DecodedOrder.Problem.MALFORMED_JSON);
        workerMetrics.bindLoad(new WorkerMetrics.Load() {
            @Override
            public int inFlight() {
                return 12;
            }

            @Override
            public int waiting() {
                return 3;
            }

            @Override
            public int inFlightPeak() {
                return 256;
            }

            @Override
            public int heldPeak() {
                return 300;
            }
        }, 256);
        workerMetrics.bindCourierPool(() -> 5, 64);

        HttpResponse<String> response = get("/metrics");

        assertEquals(200, response.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
        String body = response.body();
        assertContains(body, "orders_processed_total{error_class=\"payment_declined\",status=\"failed\"} 1.0");
        assertContains(body, "orders_processed_total{error_class=\"none\",status=\"succeeded\"} 0.0");
        assertContains(body, "dead_letters_total{problem=\"MALFORMED_JSON\"} 1.0");
        assertContains(body, "dead_letters_total{problem=\"OVERSIZED\"} 0.0");
        assertContains(body, "order_duration_seconds_count{status=\"failed\"} 1");
        assertContains(body, "order_duration_seconds_sum{status=\"failed\"} 0.025");
        assertContains(body, "order_duration_seconds_bucket{status=\"failed\",le=\"+Inf\"} 1");
        assertContains(body, "order_step_duration_seconds_count{status=\"cancelled\",step=\"vendor\"} 1");
        assertContains(body, "orders_in_flight 12.0");
        assertContains(body, "orders_waiting 3.0");
        assertContains(body, "orders_max_in_flight 256.0");
        assertContains(body, "orders_in_flight_peak 256.0");
        assertContains(body, "orders_held_peak 300.0");
        assertContains(body, "courier_pool_in_use 5.0");
        assertContains(body, "courier_pool_size 64.0");
        assertContains(body, "records_skipped_total{reason=\"finished_earlier\"} 0.0");
        assertContains(body, "jvm_memory_used_bytes{");
        assertContains(body, "process_uptime_seconds ");
        assertContains(body, "jvm_threads_live_threads ");
    }

    @Test
    void commitLag_followsFetchesAndCommits_andGoesAwayWithThePartition() throws Exception {
        CommitLag lag = workerMetrics.commitLag("orders", 2, 100);
        lag.fetched(100);
        lag.fetched(109);
        assertContains(get("/metrics").body(), "commit_lag_records{partition=\"2\",topic=\"orders\"} 10.0");

        lag.committed(107);
        assertContains(get("/metrics").body(), "commit_lag_records{partition=\"2\",topic=\"orders\"} 3.0");

        lag.close();
        String body = get("/metrics").body();
        assertTrue(!body.contains("commit_lag_records{"), () -> "revoked partition still has a lag:\n" + body);
    }

    @Test
    void commitLag_withoutAGroupCommit_countsFromTheFirstRecordFetched() throws Exception {
        CommitLag lag = workerMetrics.commitLag("orders", 0, -1);
        lag.fetched(40);
        lag.fetched(41);

        assertContains(get("/metrics").body(), "commit_lag_records{partition=\"0\",topic=\"orders\"} 2.0");
    }

    @Test
    void live_whileStarting_andAfterRecentPolls_isUp() throws Exception {
        clock.advance(Duration.ofSeconds(30)); // connecting can take longer than the poll limit
        assertAnswer(get("/health/live"), 200, "{\"status\":\"UP\",\"phase\":\"starting\",\"lastPollMsAgo\":30000}");

        poll.polled(clock.instant(), 3, 1);
        clock.advance(Duration.ofMillis(42));
        assertAnswer(get("/health/live"), 200, "{\"status\":\"UP\",\"phase\":\"running\",\"lastPollMsAgo\":42}");
    }

    @Test
    void live_isDown_whenThePollThreadIsStuckWhileKafkaIsReachable() throws Exception {
        poll.polled(clock.instant(), 3, 1);
        clock.advance(STALE_AFTER.plusMillis(1));

        assertAnswer(get("/health/live"), 503, "{\"status\":\"DOWN\",\"reason\":\"no poll for 10001 ms (limit 10000 ms) "
                + "while Kafka is reachable\",\"phase\":\"running\",\"lastPollMsAgo\":10001}");
        assertEquals(503, get("/health/ready").statusCode());
    }

    @Test
    void live_staysUp_andReadyIsDown_whileThePollThreadWaitsForAnUnreachableKafka() throws Exception {
        poll.polled(clock.instant(), 3, 1);
        broker.close(); // the broker goes away; the poll thread blocks in a commit until it is back

        clock.advance(Duration.ofSeconds(3));
        assertAnswer(get("/health/ready"), 503, "{\"status\":\"DOWN\",\"reason\":\"no connection to Kafka\","
                + "\"partitions\":3,\"inFlight\":0,\"waiting\":0}");

        clock.advance(Duration.ofSeconds(31));
        assertAnswer(get("/health/live"), 200, "{\"status\":\"UP\",\"phase\":\"running\",\"lastPollMsAgo\":34000,"
                + "\"waitingFor\":\"kafka\"}");
        assertEquals(503, get("/health/ready").statusCode(), "waiting for Kafka is not taking orders");
    }

    @Test
    void ready_staysUp_whenAPollIsSlowButKafkaIsReachable() throws Exception {
        poll.polled(clock.instant(), 3, 1);
        clock.advance(Duration.ofSeconds(5)); // a long commit, a GC pause

        assertEquals(200, get("/health/ready").statusCode());
        assertEquals(200, get("/health/live").statusCode());
    }

    @Test
    void liveAndReady_areDown_onceThePollLoopEnded() throws Exception {
        poll.polled(clock.instant(), 3, 1);
        poll.ended();

        assertAnswer(get("/health/live"), 503, "{\"status\":\"DOWN\",\"reason\":\"poll loop ended\",\"phase\":\"ended\","
                + "\"lastPollMsAgo\":0}");
        assertAnswer(get("/health/ready"), 503, "{\"status\":\"DOWN\",\"reason\":\"not live\",\"partitions\":3,"
                + "\"inFlight\":0,\"waiting\":0}");
    }

    @Test
    void ready_isUp_onlyWhileRunningConnectedAndHoldingPartitions() throws Exception {
        assertAnswer(get("/health/ready"), 503, "{\"status\":\"DOWN\",\"reason\":\"starting\",\"partitions\":0,"
                + "\"inFlight\":0,\"waiting\":0}");

        poll.polled(clock.instant(), 0, 1);
        assertAnswer(get("/health/ready"), 503, "{\"status\":\"DOWN\",\"reason\":\"no partitions assigned\","
                + "\"partitions\":0,\"inFlight\":0,\"waiting\":0}");

        poll.polled(clock.instant(), 3, 1);
        poll.load(12, 4);
        assertAnswer(get("/health/ready"), 200, "{\"status\":\"UP\",\"partitions\":3,\"inFlight\":12,\"waiting\":4}");

        poll.polled(clock.instant(), 3, /* connections= */ 0);
        assertAnswer(get("/health/ready"), 503, "{\"status\":\"DOWN\",\"reason\":\"no connection to Kafka\","
                + "\"partitions\":3,\"inFlight\":12,\"waiting\":4}");

        poll.polled(clock.instant(), 3, /* connections= */ -1); // unknown counts as connected
        assertEquals(200, get("/health/ready").statusCode());

        poll.stopping();
        assertAnswer(get("/health/ready"), 503, "{\"status\":\"DOWN\",\"reason\":\"stopping\",\"partitions\":3,"
                + "\"inFlight\":12,\"waiting\":4}");
        assertEquals(200, get("/health/live").statusCode(), "a draining worker is still live");
    }

    @Test
    void unknownPath_is404_andOtherMethods_are405() throws Exception {
        assertEquals(404, get("/").statusCode());
        assertEquals(404, get("/metrics/extra").statusCode());
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoints.port()
                + "/health/live")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals("GET", post.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void afterClose_nothingIsServed() throws Exception {
        assertEquals(200, get("/health/live").statusCode());

        endpoints.close();

        assertThrows(IOException.class, () -> get("/health/live"));
    }

    @Test
    void ready_staysUp_whileABreakerIsOpen_andSaysWhichInItsBody() throws Exception {
        AtomicReference<Map<String, String>> degraded = new AtomicReference<>(Map.of());
        endpoints.close();
        endpoints = HttpEndpoints.start(0, metrics, new HealthCheck(poll, STALE_AFTER, kafka, clock, degraded::get));
        poll.polled(clock.instant(), 3, 1);
        poll.load(0, 40);
        assertAnswer(get("/health/ready"), 200, "{\"status\":\"UP\",\"partitions\":3,\"inFlight\":0,\"waiting\":40}");

        Map<String, String> open = new LinkedHashMap<>();
        open.put("vendor", "open");
        open.put("courier", "half_open");
        degraded.set(open);

        assertAnswer(get("/health/ready"), 200, "{\"status\":\"UP\",\"partitions\":3,\"inFlight\":0,\"waiting\":40,"
                + "\"degraded\":{\"vendor\":\"open\",\"courier\":\"half_open\"}}");
        poll.stopping();
        assertAnswer(get("/health/ready"), 503, "{\"status\":\"DOWN\",\"reason\":\"stopping\",\"partitions\":3,"
                + "\"inFlight\":0,\"waiting\":40,\"degraded\":{\"vendor\":\"open\",\"courier\":\"half_open\"}}");
    }

    @Test
    void aPortInUse_failsToStart() {
        assertThrows(java.net.BindException.class, () -> HttpEndpoints.start(endpoints.port(), metrics,
                new HealthCheck(poll, STALE_AFTER, kafka, clock)));
    }

    @Test
    void staleAfter_isThreeCommitIntervals_butAtLeastTenSeconds() {
        assertEquals(Duration.ofSeconds(10), HealthCheck.staleAfter(Duration.ofSeconds(1)));
        assertEquals(Duration.ofSeconds(15), HealthCheck.staleAfter(Duration.ofSeconds(5)));
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
