package dev.orderpipeline.worker.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.orderpipeline.contract.Durations;
import dev.orderpipeline.contract.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The container files, checked where no Docker engine runs: docker-compose.yml parses and is
 * wired consistently (the worker reaches the broker's internal listener, the topics it needs
 * are created, a stop leaves it time to drain, every worker service is scraped and health-checked),
 * and the Dockerfile runs what the build makes.
 */
@Timeout(30)
class ContainerFilesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static JsonNode compose() throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker-compose.yml").toFile());
    }

    @Test
    void composeFile_parses_andHasTheBrokerTopicsWorkerAndCli() throws IOException {
        JsonNode services = compose().get("services");
        for (String service : List.of("broker", "topics", "worker", "cli")) {
            assertTrue(services.has(service), () -> "service " + service + " missing from docker-compose.yml");
        }
        assertTrue(services.get("broker").get("image").asText().startsWith("apache/kafka:4."),
                () -> "broker image " + services.get("broker").get("image"));
    }

    @Test
    void worker_reachesAListenerTheBrokerAdvertises() throws IOException {
        JsonNode services = compose().get("services");
        String bootstrap = services.get("worker").get("environment").get("KAFKA_BOOTSTRAP_SERVERS").asText();
        String advertised = services.get("broker").get("environment").get("KAFKA_ADVERTISED_LISTENERS").asText();
        assertTrue(advertised.contains("//" + bootstrap), () -> bootstrap + " is not among " + advertised);
    }

    @Test
    void topicsService_createsTheTopicsTheWorkerReadsAndWrites() throws IOException {
        String script = compose().get("services").get("topics").get("command").toString();
        for (String topic : List.of(Topics.ORDERS, Topics.RESULTS, Topics.DEAD_LETTERS)) {
            assertTrue(script.contains(topic), () -> "topic " + topic + " is not created: " + script);
        }
    }

    @Test
    void stopGracePeriod_exceedsTheDrainBudget() throws IOException {
        JsonNode worker = compose().get("services").get("worker");
        Duration grace = Durations.parse(worker.get("stop_grace_period").asText());
        Duration drain = Durations.parse(worker.get("environment").get("DRAIN_BUDGET").asText());
        assertTrue(grace.compareTo(drain) > 0, () -> "docker would kill the worker (" + grace + ") before its drain ends (" + drain + ")");
    }

    @Test
    void dockerfile_runsTheShadedJars_withPreviewEnabled() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        assertTrue(dockerfile.contains("/src/worker/target/order-worker.jar"), dockerfile);
        assertTrue(dockerfile.contains("/src/producer-cli/target/order-cli.jar"), dockerfile);
        assertTrue(dockerfile.contains("/src/stub-services/target/stub-services.jar"), dockerfile);
        assertTrue(dockerfile.contains("\"--enable-preview\""), "the worker needs --enable-preview for StructuredTaskScope");
        String pom = Files.readString(ROOT.resolve("worker/pom.xml"));
        assertTrue(pom.contains("<outputFile>${project.build.directory}/order-worker.jar</outputFile>"),
                "the Dockerfile copies worker/target/order-worker.jar; the build must make it");
        String stubsPom = Files.readString(ROOT.resolve("stub-services/pom.xml"));
        assertTrue(stubsPom.contains("<outputFile>${project.build.directory}/stub-services.jar</outputFile>"),
                "the Dockerfile copies stub-services/target/stub-services.jar; the build must make it");
        // The worker, the CLI and the stub services: one image each.
        assertEquals(3, dockerfile.lines().filter(l -> l.startsWith("ENTRYPOINT")).count());
    }

    @Test
    void httpProfile_runsTheStubServices_andPointsTheWorkerAtThem() throws IOException {
        JsonNode services = compose().get("services");
        JsonNode stubs = services.get("stubs");
        String target = stubs.path("build").path("target").asText();
        String entrypoint = stageEntrypoint(Files.readString(ROOT.resolve("Dockerfile")), target);
        assertTrue(entrypoint.contains("/app/stub-services.jar"), () -> "stage " + target + " runs " + entrypoint);
        assertFalse(stubs.has("entrypoint"), "the stubs image runs the stub services itself: " + stubs);
        String command = stubs.get("command").toString();
        assertTrue(command.contains("\"--port\",\"8090\""), "the workers are pointed at port 8090: " + command);
        assertTrue(command.contains("0.0.0.0"), "the stubs must listen beyond the container's loopback: " + command);
        JsonNode env = services.get("worker-http").get("environment");
        for (String url : List.of("PAYMENT_URL", "VENDOR_URL", "COURIER_URL")) {
            assertTrue(env.get(url).asText().startsWith("http://stubs:8090"), () -> url + " = " + env.get(url));
        }
    }

    /** The ENTRYPOINT line of the Dockerfile stage named {@code stage}, or "" if it has none. */
    private static String stageEntrypoint(String dockerfile, String stage) {
        String current = null;
        for (String line : dockerfile.lines().map(String::strip).toList()) {
            if (line.startsWith("FROM ")) {
                String[] words = line.split("\\s+");
                current = words.length >= 4 && words[2].equalsIgnoreCase("AS") ? words[3] : null;
            } else if (line.startsWith("ENTRYPOINT") && stage.equals(current)) {
                return line;
            }
        }
        return "";
    }

    /** Services that run the worker: built from the worker image and not overriding its entrypoint. */
    private static List<String> workerServices(JsonNode services) {
        List<String> workers = new ArrayList<>();
        services.properties().forEach(service -> {
            JsonNode build = service.getValue().path("build");
            if ("worker".equals(build.path("target").asText()) && !service.getValue().has("entrypoint")) {
                workers.add(service.getKey());
            }
        });
        return workers;
    }

    @Test
    void workerServices_areTheSimulatedAndTheHttpWorker() throws IOException {
        assertEquals(List.of("worker", "worker-http"), workerServices(compose().get("services")));
    }

    @Test
    void prometheus_scrapesEveryWorkerService_onTheMetricsPort() throws IOException {
        JsonNode prometheus = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("prometheus.yml").toFile());
        Set<String> scraped = new TreeSet<>();
        for (JsonNode job : prometheus.get("scrape_configs")) {
            assertEquals("/metrics", job.path("metrics_path").asText("/metrics"), () -> "job " + job);
            for (JsonNode dns : job.path("dns_sd_configs")) {
                assertEquals(8080, dns.get("port").asInt(), () -> "port of " + dns);
                dns.get("names").forEach(name -> scraped.add(name.asText() + ":" + dns.get("port").asInt()));
            }
            for (JsonNode targets : job.path("static_configs")) {
                targets.get("targets").forEach(target -> scraped.add(target.asText()));
            }
        }
        // Prometheus runs in its own profile next to any other: no worker service may be left out.
        for (String worker : workerServices(compose().get("services"))) {
            assertTrue(scraped.contains(worker + ":8080"), () -> "prometheus.yml does not scrape " + worker + ":8080; it scrapes " + scraped);
        }
    }

    @Test
    void everyWorkerService_hasAHealthcheck_onReadiness() throws IOException {
        JsonNode services = compose().get("services");
        for (String worker : workerServices(services)) {
            JsonNode healthcheck = services.get(worker).get("healthcheck");
            assertNotNull(healthcheck, () -> "service " + worker + " has no healthcheck");
            String test = healthcheck.get("test").toString();
            assertTrue(test.contains("/dev/tcp/127.0.0.1/8080") && test.contains("GET /health/ready "),
                    () -> worker + "'s healthcheck does not ask /health/ready on the worker's port: " + test);
            // No curl or wget in the runtime image: the probe must need nothing but bash.
            assertFalse(test.contains("curl") || test.contains("wget"), () -> worker + ": " + test);
        }
    }

    @Test
    void monitoringProfile_provisionsGrafana_withThePrometheusDataSourceAndTheDashboard() throws IOException {
        JsonNode services = compose().get("services");
        JsonNode grafana = services.get("grafana");
        assertNotNull(grafana, "no grafana service in docker-compose.yml");
        assertEquals("[\"monitoring\"]", grafana.get("profiles").toString());
        List<String> volumes = new ArrayList<>();
        grafana.get("volumes").forEach(v -> volumes.add(v.asText()));
        assertTrue(volumes.contains("./ops/grafana/provisioning:/etc/grafana/provisioning:ro"), () -> "volumes " + volumes);
        String dashboardsMount = "./ops/grafana/dashboards:";
        String dashboardsInside = volumes.stream().filter(v -> v.startsWith(dashboardsMount))
                .map(v -> v.substring(dashboardsMount.length()).replace(":ro", "")).findFirst().orElse(null);
        assertNotNull(dashboardsInside, () -> "ops/grafana/dashboards is not mounted: " + volumes);

        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode provider = yaml.readTree(ROOT.resolve("ops/grafana/provisioning/dashboards/order-pipeline.yml").toFile())
                .get("providers").get(0);
        assertEquals(dashboardsInside, provider.get("options").get("path").asText(),
                "Grafana must load dashboards from where the folder is mounted");
        JsonNode dataSource = yaml.readTree(ROOT.resolve("ops/grafana/provisioning/datasources/prometheus.yml").toFile())
                .get("datasources").get(0);
        assertEquals("prometheus", dataSource.get("type").asText());
        assertTrue(services.has("prometheus"), "the data source points at the prometheus service");
        assertEquals("http://prometheus:9090", dataSource.get("url").asText());
        String home = grafana.get("environment").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH").asText();
        assertTrue(home.startsWith(dashboardsInside + "/")
                        && Files.isRegularFile(ROOT.resolve("ops/grafana/dashboards").resolve(home.substring(dashboardsInside.length() + 1))),
                () -> "home dashboard " + home + " is not a file of ops/grafana/dashboards");
    }

    @Test
    void dashboard_isGrafanaJson_whosePanelsAllQueryTheDataSourceVariable() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(ROOT.resolve("ops/grafana/dashboards/order-pipeline.json").toFile());
        assertEquals("order-pipeline", dashboard.get("uid").asText());
        JsonNode variable = null;
        for (JsonNode v : dashboard.get("templating").get("list")) {
            if (v.get("type").asText().equals("datasource")) {
                variable = v;
            }
        }
        assertNotNull(variable, "no data source variable");
        assertEquals("prometheus", variable.get("query").asText());
        String ref = "${" + variable.get("name").asText() + "}";
        Set<Integer> ids = new TreeSet<>();
        int queries = 0;
        for (JsonNode panel : dashboard.get("panels")) {
            String title = panel.get("title").asText();
            assertTrue(ids.add(panel.get("id").asInt()), () -> "panel id used twice: " + title);
            if (panel.get("type").asText().equals("row")) {
                continue;
            }
            assertEquals(ref, panel.get("datasource").get("uid").asText(), () -> "panel " + title);
            assertFalse(panel.get("targets").isEmpty(), () -> "panel " + title + " has no query");
            for (JsonNode target : panel.get("targets")) {
                assertEquals(ref, target.get("datasource").get("uid").asText(), () -> "panel " + title);
                assertFalse(target.get("expr").asText().isBlank(), () -> "panel " + title);
                queries++;
            }
        }
        assertTrue(queries >= 20, "the dashboard shows health, throughput, failures, latency and load: " + queries);
    }

    @Test
    void monitoringProfile_hasATraceBackendTakingOtlp_butTracingStaysOffByDefault() throws IOException {
        JsonNode services = compose().get("services");
        JsonNode jaeger = services.get("jaeger");
        assertNotNull(jaeger, "no trace backend in docker-compose.yml");
        assertEquals("[\"monitoring\"]", jaeger.get("profiles").toString());
        String ports = jaeger.get("ports").toString();
        assertTrue(ports.contains("4317:4317") && ports.contains("4318:4318"), () -> "OTLP ports " + ports);
        for (String worker : workerServices(services)) {
            JsonNode env = services.get(worker).get("environment");
            // Present without a value: Compose takes it from the shell only when set there.
            assertTrue(env.has("OTEL_EXPORTER_OTLP_ENDPOINT") && env.get("OTEL_EXPORTER_OTLP_ENDPOINT").isNull(),
                    () -> worker + " must pass OTEL_EXPORTER_OTLP_ENDPOINT through from the shell, not set it: " + env);
        }
    }
}
