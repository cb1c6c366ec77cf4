package dev.orderpipeline.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each engine gets the flags of its contract, and an HTTP workload the stub services' URL. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ChildCommandTest {

    private static final ChildCommand.Topics TOPICS = new ChildCommand.Topics("in", "out", "dlt");

    private static final String WORKER_HELP = "  --http-port=PORT ...\n  --bulkhead-max-calls=N ...";

    private static ChildCommand command(String help, String stubUrl) {
        return new ChildCommand("java", List.of("-Xmx512m"), Path.of("/jars/engine.jar"), "127.0.0.1:9092", TOPICS, "bench-1",
                help, 1024, stubUrl);
    }

    private static String value(List<String> cmd, String flag) {
        int i = cmd.indexOf(flag);
        return i < 0 ? null : cmd.get(i + 1);
    }

    @Test
    void parallelConsumer_getsTheSharedFlags_butNoWorkerIdHttpPortOrDelivery() {
        Workload p = Workload.worker("W2c", "worker, 3 x 20 ms steps", 20, 5, 1024, "key", 1000).onParallelConsumer();

        List<String> cmd = command("", null).build(p);

        assertEquals(List.of("java", "--enable-preview", "-Xmx512m", "-jar", "/jars/engine.jar"), cmd.subList(0, 5));
        assertEquals("in", value(cmd, "--orders-topic"));
        assertEquals("out", value(cmd, "--results-topic"));
        assertEquals("dlt", value(cmd, "--dead-letter-topic"));
        assertEquals("bench-1", value(cmd, "--group-id"));
        assertEquals("1024", value(cmd, "--max-in-flight"));
        assertEquals("key", value(cmd, "--ordering"));
        assertEquals("5s", value(cmd, "--order-deadline"));
        assertEquals("20ms", value(cmd, "--step-latency"));
        assertEquals("5ms", value(cmd, "--step-jitter"));
        assertEquals("1024", value(cmd, "--courier-pool-size"));
        for (String absent : List.of("--worker-id", "--http-port", "--delivery", "--payment-url")) {
            assertFalse(cmd.contains(absent), () -> absent + " in " + cmd);
        }
    }

    @Test
    void worker_getsItsIdAndAFreeHttpPort_whenItsJarHasOne() {
        Workload w = Workload.worker("W1", "worker", 0, 0, 1024, "key", 1000);

        List<String> cmd = command(WORKER_HELP, null).build(w);

        assertEquals("bench-1", value(cmd, "--worker-id"));
        assertEquals("0", value(cmd, "--http-port"));
    }

    @Test
    void httpWorkload_callsTheStubForAllThreeServices_onEitherEngine() {
        Workload w4h = Workload.worker("W2c", "worker", 20, 5, 1024, "key", 1000).overHttp("W4h", "worker, HTTP", 500);

        for (Workload w : List.of(w4h, w4h.onParallelConsumer())) {
            List<String> cmd = command(w.parallelConsumer() ? "" : WORKER_HELP, "http://127.0.0.1:40000").build(w);
            for (String flag : List.of("--payment-url", "--vendor-url", "--courier-url")) {
                assertEquals("http://127.0.0.1:40000", value(cmd, flag), () -> w.name() + " " + flag);
            }
            // The Parallel Consumer runner keeps the worker's default bulkhead; so does the worker here.
            assertFalse(cmd.contains("--bulkhead-max-calls"), w.name());
        }
        assertEquals("P4h", w4h.onParallelConsumer().name());
        assertThrows(IllegalStateException.class, () -> command("", null).build(w4h), "no stub started");
    }

    @Test
    void rawPipe_runsFromTheHarnessJar_withItsOwnFlags() {
        List<String> cmd = command("", null).build(Workload.rawPipe(1000));

        assertEquals("-cp", cmd.get(3));
        assertEquals(RawPipe.class.getName(), cmd.get(5));
        assertEquals("in", value(cmd, "--in"));
        assertEquals(1, Collections.frequency(cmd, "--out"));
        assertTrue(!cmd.contains("--max-in-flight"));
    }
}
