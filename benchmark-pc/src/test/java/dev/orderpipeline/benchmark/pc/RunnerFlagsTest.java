package dev.orderpipeline.benchmark.pc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.worker.config.ConfigException;
import dev.orderpipeline.worker.config.Flow;
import dev.orderpipeline.worker.config.Ordering;
import dev.orderpipeline.worker.config.RetryPolicy;
import dev.orderpipeline.worker.config.ServiceGuarding;
import dev.orderpipeline.worker.config.WorkerConfig;
import io.confluent.parallelconsumer.ParallelConsumerOptions.ProcessingOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RunnerFlagsTest {

    private static WorkerConfig config(String... args) {
        RunnerFlags flags = new RunnerFlags();
        List<String> all = new ArrayList<>(List.of("--bootstrap-servers", "127.0.0.1:9092"));
        all.addAll(List.of(args));
        new CommandLine(flags).parseArgs(all.toArray(String[]::new));
        return flags.config("test-worker");
    }

    @Test
    void flagsTheHarnessPasses_meanWhatTheWorkersDo() {
        WorkerConfig config = config("--orders-topic", "o", "--results-topic", "r", "--dead-letter-topic", "d",
                "--group-id", "g", "--max-in-flight", "1024", "--ordering", "partition", "--order-deadline", "3s",
                "--step-latency", "20ms", "--step-jitter", "5ms", "--courier-pool-size", "1024");

        assertEquals(List.of("o", "r", "d", "g"), List.of(config.topics().orders(), config.topics().results(),
                config.topics().deadLetters(), config.kafka().groupId()), "topics and group");
        assertEquals(1024, config.flow().maxInFlight(), "max in flight");
        assertEquals(Ordering.PARTITION, config.delivery().ordering(), "ordering");
        assertEquals(Duration.ofSeconds(3), config.flow().orderDeadline(), "order deadline");
        assertEquals(Duration.ofMillis(20), config.steps().simulation().paymentLatency(), "step latency");
        assertEquals(Duration.ofMillis(5), config.steps().simulation().jitter(), "step jitter");
        assertEquals(1024, config.steps().courierPoolSize(), "courier pool");
        assertFalse(config.steps().overHttp(), "simulated steps without the three URLs");
    }

    @Test
    void whatTheFlagsDoNotSay_isTheWorkersDefault_butTheBreakersAreOff() {
        WorkerConfig config = config();

        assertEquals(RetryPolicy.DEFAULTS, config.retry(), "retries");
        assertEquals(Flow.DEFAULTS.compensationDeadline(), config.flow().compensationDeadline(), "compensation deadline");
        assertEquals(Flow.DEFAULTS.maxOrderBytes(), config.flow().maxOrderBytes(), "size cap");
        assertEquals(ServiceGuarding.DEFAULTS.maxCalls(), config.steps().guarding().maxCalls(), "bulkhead");
        assertFalse(config.steps().guarding().breakers(), "breakers");
    }

    @Test
    void threeUrls_selectTheHttpSteps() {
        WorkerConfig config = config("--payment-url", "http://127.0.0.1:1/", "--vendor-url", "http://127.0.0.1:2/",
                "--courier-url", "http://127.0.0.1:3/");

        assertTrue(config.steps().overHttp(), "HTTP steps");
    }

    @Test
    void eachOrderingMode_isParallelConsumersOfTheSameName() {
        for (Ordering ordering : Ordering.values()) {
            assertEquals(ordering.name(), RunnerFlags.processingOrder(ordering).name(), "ordering " + ordering);
        }
        assertEquals(ProcessingOrder.KEY, RunnerFlags.processingOrder(config().delivery().ordering()), "default");
    }

    @Test
    void badValues_failWithOneLineNamingTheFlag() {
        assertEquals("--ordering: \"sideways\" is not one of key, partition, unordered",
                assertThrows(ConfigException.class, () -> config("--ordering", "sideways")).getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> config("--step-latency", "fast")).getMessage()
                .startsWith("--step-latency: "), "step latency");
        assertTrue(assertThrows(ConfigException.class, () -> config("--order-deadline", "soon")).getMessage()
                .startsWith("--order-deadline: "), "order deadline");
    }
}
