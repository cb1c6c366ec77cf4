package dev.orderpipeline.worker.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.contract.SenderText;
import dev.orderpipeline.contract.Simulation;
import dev.orderpipeline.contract.StepFault;
import dev.orderpipeline.testsupport.WorkerProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The worker process started with {@code --log-format json}, read as a log pipeline reads it:
 * every line of its output is one JSON object with the standard fields, the lines about an
 * order carry its {@code order_id}, and an order id built to forge a line or a field (quotes,
 * line breaks, a JSON fragment, 10 KB) stays one escaped, capped value inside its own line.
 */
@Timeout(120)
class JsonLogIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Set<String> FIELDS = Set.of("timestamp", "level", "logger", "thread", "message");

    @Test
    void jsonFormat_everyLineIsJson_linesAboutAnOrderCarryItsId_andAHostileIdForgesNothing() throws Exception {
        String forged = "hostile\"}\n{\"level\":\"FORGED\",\"message\":\"forged line\",\"order_id\":\"someone-else\"}\r\n";
        String hostileId = forged + "x".repeat(10 * 1024);
        Random random = new Random(5);
        List<JsonNode> lines = new ArrayList<>();
        try (PipelineTopics topics = new PipelineTopics("json-log-it");
             WorkerProcess worker = WorkerProcess.start("json-log-worker",
                     "--bootstrap-servers", topics.bootstrapServers(),
                     "--orders-topic", topics.orders, "--results-topic", topics.results,
                     "--dead-letter-topic", topics.deadLetters, "--group-id", topics.groupId,
                     "--worker-id", "json-log-worker", "--commit-interval", "200ms",
                     "--log-format", "json")) {
            await("worker holds partitions").atMost(WAIT).until(worker::holdsPartitions);
            topics.send(SampleOrders.order("json-declined", Instant.now(), Simulation.payment(StepFault.FAIL), random));
            topics.send(SampleOrders.order(hostileId, Instant.now(), Simulation.payment(StepFault.FAIL), random));
            await("both orders logged").atMost(WAIT).until(() ->
                    worker.count("order_id=json-declined") > 0 && worker.count("order_id=hostile") > 0);
            worker.terminate();
            assertEquals(0, worker.awaitExit(WAIT), worker::tail);

            ObjectMapper json = new ObjectMapper();
            for (String line : worker.output().lines().toList()) {
                JsonNode event;
                try {
                    event = json.readTree(line);
                } catch (Exception e) {
                    throw new AssertionError("not a JSON line: " + SenderText.of(line) + "\n" + worker.tail(), e);
                }
                assertTrue(event != null && event.isObject(), () -> "not a JSON object: " + SenderText.of(line));
                for (String field : FIELDS) {
                    assertTrue(event.hasNonNull(field), () -> "no " + field + " in " + SenderText.of(line));
                }
                lines.add(event);
            }
        }

        assertTrue(lines.stream().anyMatch(e -> e.get("message").asText().startsWith("worker stopped:")),
                "the stop line is there, as JSON");
        List<JsonNode> declined = about(lines, "order_id=json-declined");
        assertFalse(declined.isEmpty(), "no line about the declined order");
        for (JsonNode event : declined) {
            assertEquals("json-declined", event.path("order_id").asText(), () -> "line " + event);
        }

        List<JsonNode> hostile = about(lines, "order_id=hostile");
        assertFalse(hostile.isEmpty(), "no line about the hostile order");
        String shown = SenderText.of(hostileId);
        for (JsonNode event : hostile) {
            JsonNode orderId = event.get("order_id");
            assertNotNull(orderId, () -> "a line about the hostile order lacks order_id: " + event);
            assertEquals(shown, orderId.asText(), "the id is escaped and capped, not raw");
            assertTrue(orderId.asText().length() < 300, "capped");
            assertFalse(orderId.asText().contains("\n"), "no raw line break in a field");
        }
        for (JsonNode event : lines) {
            if (event.path("level").asText().equals("FORGED") || event.path("message").asText().equals("forged line")
                    || event.path("order_id").asText().equals("someone-else")) {
                fail("the hostile id forged a line or a field: " + event);
            }
            assertTrue(Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR").contains(event.get("level").asText()),
                    () -> "level " + event);
        }
    }

    /** The lines whose message mentions {@code text}. */
    private static List<JsonNode> about(List<JsonNode> lines, String text) {
        return lines.stream().filter(e -> e.get("message").asText().contains(text)).toList();
    }
}
