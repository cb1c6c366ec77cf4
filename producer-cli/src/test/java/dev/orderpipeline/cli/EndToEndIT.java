package dev.orderpipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.testkafka.TestKafka;
import dev.orderpipeline.worker.app.Worker;
import dev.orderpipeline.worker.config.WorkerConfig;
import dev.orderpipeline.worker.config.SimulationSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The CLI against the real worker on a real broker: every scenario the CLI can ask for comes
 * back with the error class the worker's contract promises.
 */
@Timeout(180)
class EndToEndIT {

    @Test
    void run_againstTheRealWorker_everyScenarioGetsItsPromisedOutcome() throws Exception {
        String prefix = TestKafka.uniqueName("e2e");
        String orders = prefix + "-orders";
        String results = prefix + "-results";
        String deadLetters = prefix + "-dlt";
        TestKafka.createTopics(3, orders, results, deadLetters);
        WorkerConfig config = WorkerConfig.builder()
                .bootstrapServers(TestKafka.bootstrapServers())
                .ordersTopic(orders)
                .resultsTopic(results)
                .deadLetterTopic(deadLetters)
                .groupId(prefix + "-workers")
                .workerId("e2e-worker")
                .topicPartitions(3)
                .orderDeadline(Duration.ofSeconds(3))
                .commitInterval(Duration.ofMillis(200))
                .simulation(SimulationSettings.fixedLatency(Duration.ofMillis(10)))
                .build();
        Worker worker = Worker.start(config, Clock.systemUTC());
        CliRun run;
        try {
            run = CliRun.execute(Map.of(), "run", "-b", TestKafka.bootstrapServers(), "--orders-topic", orders,
                    "--results-topic", results, "--dlt-topic", deadLetters, "--count", "200", "--seed", "3",
                    "--declines", "0.1", "--vendor-outages", "0.1", "--slow-couriers", "0.05", "--crashes", "0.05",
                    "--malformed", "0.1", "--timeout", "90s");
        } finally {
            worker.requestStop();
            worker.close();
        }

        assertEquals(0, run.exitCode(), run.toString());
        // The per-scenario table: every order answered, and answered as its scenario promises.
        Matcher row = Pattern.compile("^  (\\S+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)$", Pattern.MULTILINE).matcher(run.out());
        int rows = 0;
        while (row.find()) {
            rows++;
            String scenario = row.group(1);
            assertEquals(row.group(2), row.group(3), () -> scenario + ": sent vs answered\n" + run.out());
            assertEquals(row.group(2), row.group(4), () -> scenario + ": sent vs as expected\n" + run.out());
        }
        assertEquals(6, rows, () -> "want a row per scenario:\n" + run.out());
        assertTrue(run.out().contains("duplicates  none"), run::toString);
        assertTrue(run.out().contains("missing     none"), run::toString);
        assertEquals(0, worker.tracker().running(), "step threads left in the worker");
    }
}
