package dev.orderpipeline.worker.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.orderpipeline.contract.Topics;
import dev.orderpipeline.worker.config.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The container files, checked where no Docker engine runs: docker-compose.yml parses and is
 * wired consistently (the worker reaches the broker's internal listener, the topics it needs
 * are created, a stop leaves it time to drain), and the Dockerfile runs what the build makes.
 */
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
        assertTrue(dockerfile.contains("\"--enable-preview\""), "the worker needs --enable-preview for StructuredTaskScope");
        String pom = Files.readString(ROOT.resolve("worker/pom.xml"));
        assertTrue(pom.contains("<outputFile>${project.build.directory}/order-worker.jar</outputFile>"),
                "the Dockerfile copies worker/target/order-worker.jar; the build must make it");
        assertEquals(2, dockerfile.lines().filter(l -> l.startsWith("ENTRYPOINT")).count());
    }

    @Test
    void httpProfile_runsTheStubServices_andPointsTheWorkerAtThem() throws IOException {
        JsonNode services = compose().get("services");
        String entrypoint = services.get("stubs").get("entrypoint").toString();
        assertTrue(entrypoint.contains(dev.orderpipeline.worker.steps.http.StubServices.class.getName()), entrypoint);
        assertTrue(entrypoint.contains("0.0.0.0"), "the stubs must listen beyond the container's loopback: " + entrypoint);
        JsonNode env = services.get("worker-http").get("environment");
        for (String url : List.of("PAYMENT_URL", "VENDOR_URL", "COURIER_URL")) {
            assertTrue(env.get(url).asText().startsWith("http://stubs:8090"), () -> url + " = " + env.get(url));
        }
    }

    @Test
    void prometheus_scrapesTheWorkersMetricsPort() throws IOException {
        JsonNode prometheus = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("prometheus.yml").toFile());
        JsonNode job = prometheus.get("scrape_configs").get(0);
        assertEquals("/metrics", job.get("metrics_path").asText());
        assertEquals("worker:8080", job.get("static_configs").get(0).get("targets").get(0).asText());
        assertTrue(compose().get("services").get("worker").get("ports").toString().contains("8080:8080"));
    }
}
