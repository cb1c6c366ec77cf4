package dev.orderpipeline.worker.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.stubs.StubServices;
import dev.orderpipeline.testsupport.WorkerProcess;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Grafana dashboard against a real Prometheus: Prometheus scrapes a worker process under load
 * (declines, vendor outages with retries, compensations, dead letters), and every query of every
 * panel of {@code ops/grafana/dashboards/order-pipeline.json}, with Grafana's variables filled in,
 * must return data. A panel that names a meter the worker does not have, or a label it does not
 * carry, shows "No data" to an operator: here it fails the build, naming the panel.
 *
 * <p>Needs the {@code prometheus} binary (Debian package {@code prometheus}; or
 * {@code PROMETHEUS_BIN}). Without it the test is skipped, except under CI, where it fails.
 */
@Timeout(120)
class DashboardIT {

    private static final Path DASHBOARD = Path.of("..", "ops", "grafana", "dashboards", "order-pipeline.json");
    private static final String INSTALL = "apt-get install -y --no-install-recommends prometheus (or set PROMETHEUS_BIN)";
    /** Grafana's $__rate_interval is at least four scrape intervals: 1 s here, so 4 s; a little more for a loaded machine. */
    private static final String RATE_INTERVAL = "10s";
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)}?");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((\\w+), *(\\w+)\\)");
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void everyPanelQuery_returnsData_fromAWorkerUnderLoad() throws Exception {
        Path prometheusBin = prometheusBinary();
        JsonNode dashboard = json.readTree(DASHBOARD.toFile());
        Map<String, String> variables = variables(dashboard);
        Map<String, String> queries = panelQueries(dashboard, variables);

        try (PipelineTopics topics = new PipelineTopics("dashboard-it");
             // The steps over HTTP, so that the breaker and bulkhead panels have services to show.
             // Failures of every kind the dashboard shows: declines (compensations of the
             // siblings), vendor 503s (retries, some exhausted: more compensations).
             StubServices stub = StubServices.start(0, new StubServices.Behaviour(Duration.ofMillis(20),
                     Duration.ofMillis(10), 0.0, 503, 200), new SplittableRandom(11));
             WorkerProcess worker = WorkerProcess.start("dashboard-worker",
                     "--bootstrap-servers", topics.bootstrapServers(),
                     "--orders-topic", topics.orders, "--results-topic", topics.results,
                     "--dead-letter-topic", topics.deadLetters, "--group-id", topics.groupId,
                     "--worker-id", "dashboard-worker", "--commit-interval", "200ms",
                     "--payment-url", stub.baseUrl().toString(), "--vendor-url", stub.baseUrl().toString(),
                     "--courier-url", stub.baseUrl().toString());
             ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor()) {
            stub.behave(StubServices.Service.PAYMENT,
                    new StubServices.Behaviour(Duration.ofMillis(20), Duration.ofMillis(10), 0.1, 402, 200));
            stub.behave(StubServices.Service.VENDOR,
                    new StubServices.Behaviour(Duration.ofMillis(20), Duration.ofMillis(10), 0.3, 503, 200));
            await("worker listens and holds partitions").atMost(WAIT)
                    .until(() -> worker.httpPort().isPresent() && worker.holdsPartitions());
            Path dir = Files.createDirectories(Path.of("target", "prometheus")).resolve("run-" + System.nanoTime());
            int port = freePort();
            Process prometheus = startPrometheus(prometheusBin, dir, port, worker.httpPort().getAsInt());
            try {
                AtomicInteger sent = new AtomicInteger();
                AtomicReference<Throwable> loadFailure = new AtomicReference<>();
                Random random = new Random(11);
                // A steady 50 orders a second, and now and then a record that is not an order.
                load.scheduleAtFixedRate(() -> {
                    try {
                        List<OrderPlaced> batch = new ArrayList<>();
                        for (int i = 0; i < 5; i++) {
                            batch.add(SampleOrders.order("dash-" + sent.incrementAndGet(), Instant.now(), null, random));
                        }
                        topics.sendAll(batch);
                        if (sent.get() % 50 == 0) {
                            topics.sendRaw("not-an-order".getBytes(StandardCharsets.UTF_8),
                                    "{\"orderId\": ".getBytes(StandardCharsets.UTF_8), List.of());
                        }
                    } catch (Exception e) {
                        loadFailure.compareAndSet(null, e);
                    }
                }, 0, 100, TimeUnit.MILLISECONDS);

                String base = "http://127.0.0.1:" + port;
                await("Prometheus scrapes the worker").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                        .until(() -> finiteValues(query(base, "up{job=\"order-worker\"} == 1")) == 1);

                Map<String, String> noData = new LinkedHashMap<>();
                await("every panel query returns data").atMost(WAIT).pollInterval(Duration.ofSeconds(1))
                        .untilAsserted(() -> {
                            assertNull(loadFailure.get(), "sending orders failed");
                            noData.clear();
                            for (Map.Entry<String, String> panel : queries.entrySet()) {
                                JsonNode answer = query(base, panel.getValue());
                                if (finiteValues(answer) == 0) {
                                    noData.put(panel.getKey(), panel.getValue() + " -> " + answer.path("data"));
                                }
                            }
                            assertTrue(noData.isEmpty(), () -> noData.size() + " of " + queries.size()
                                    + " panel queries return no data:\n" + String.join("\n",
                                    noData.entrySet().stream().map(e -> "  " + e.getKey() + ": " + e.getValue()).toList())
                                    + "\n" + worker.tail());
                        });

                // Each query variable offers choices: label_values(metric, label) finds the label's values.
                for (JsonNode variable : dashboard.path("templating").path("list")) {
                    if (!variable.path("type").asText().equals("query")) {
                        continue;
                    }
                    String definition = variable.path("definition").asText();
                    Matcher labelValues = LABEL_VALUES.matcher(definition);
                    assertTrue(labelValues.matches(), () -> "variable " + variable.path("name") + ": " + definition);
                    JsonNode values = get(base, "/api/v1/label/" + labelValues.group(2) + "/values?match[]="
                            + encode(labelValues.group(1)));
                    assertFalse(values.path("data").isEmpty(),
                            () -> "variable " + variable.path("name") + " offers no choice: " + definition + " -> " + values);
                }
            } finally {
                prometheus.destroy();
                if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly().waitFor();
                }
            }
        }
    }

    /** Prometheus from {@code PROMETHEUS_BIN} or the PATH; skips the test (fails it under CI) when there is none. */
    private static Path prometheusBinary() {
        String configured = System.getenv("PROMETHEUS_BIN");
        Optional<Path> found = configured != null && !configured.isBlank()
                ? Optional.of(Path.of(configured)).filter(Files::isExecutable)
                : onPath("prometheus");
        if (found.isEmpty()) {
            String reason = "Prometheus is not installed; install it with: " + INSTALL;
            if (System.getenv("CI") != null) {
                fail(reason);
            }
            assumeTrue(false, reason);
        }
        return found.get();
    }

    private static Optional<Path> onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Process startPrometheus(Path binary, Path dir, int port, int workerPort) throws IOException {
        Files.createDirectories(dir);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: order-worker
                    metrics_path: /metrics
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(workerPort));
        return new ProcessBuilder(binary.toString(), "--config.file=" + config.toAbsolutePath(),
                "--storage.tsdb.path=" + dir.resolve("data").toAbsolutePath(),
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
    }

    /**
     * Grafana's variables as the dashboard's default view fills them in: each template variable
     * at "All" (its allValue) or its first option, the built-in intervals as a 1 s scrape makes them.
     */
    private static Map<String, String> variables(JsonNode dashboard) {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("__rate_interval", RATE_INTERVAL);
        variables.put("__interval", "2s");
        variables.put("__range", "1m");
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            String type = variable.path("type").asText();
            String name = variable.path("name").asText();
            if (type.equals("datasource")) {
                variables.put(name, "prometheus");
            } else if (variable.path("includeAll").asBoolean()) {
                variables.put(name, variable.path("allValue").asText(".*"));
            } else {
                variables.put(name, variable.path("options").path(0).path("value").asText());
            }
        }
        return variables;
    }

    /** Every query of every panel, by "panel title [refId]", its variables filled in. */
    private static Map<String, String> panelQueries(JsonNode dashboard, Map<String, String> variables) {
        Map<String, String> queries = new LinkedHashMap<>();
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add); // panels inside collapsed rows
        }
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                String name = panel.path("title").asText() + " [" + target.path("refId").asText() + "]";
                queries.put(name, substitute(target.path("expr").asText(), variables, name));
            }
        }
        assertFalse(queries.isEmpty(), "the dashboard has no panel queries");
        return queries;
    }

    private static String substitute(String expr, Map<String, String> variables, String panel) {
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = variables.get(m.group(1));
            if (value == null) {
                fail("panel " + panel + " uses $" + m.group(1) + ", which the dashboard does not define: " + expr);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private JsonNode query(String base, String promql) throws IOException, InterruptedException {
        JsonNode answer = get(base, "/api/v1/query?query=" + encode(promql));
        assertEquals("success", answer.path("status").asText(), () -> "query " + promql + " -> " + answer);
        return answer;
    }

    private JsonNode get(String base, String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return json.readTree(response.body());
    }

    /** How many samples of an instant-vector answer are numbers (a quantile of nothing is NaN: no data to see). */
    private static int finiteValues(JsonNode answer) {
        int finite = 0;
        for (JsonNode sample : answer.path("data").path("result")) {
            double value = Double.parseDouble(sample.path("value").path(1).asText("NaN"));
            if (Double.isFinite(value)) {
                finite++;
            }
        }
        return finite;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
