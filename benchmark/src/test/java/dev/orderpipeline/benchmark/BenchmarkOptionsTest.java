package dev.orderpipeline.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** The harness's flags: the names and defaults benchmark/README.md documents, help, and one-line errors. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BenchmarkOptionsTest {

    private static BenchmarkOptions parse(String... args) {
        return BenchmarkOptions.parse(args).getCommand();
    }

    @Test
    void noFlags_giveTheDocumentedDefaults_andTheComparison() {
        BenchmarkOptions opts = parse();

        assertEquals(3, opts.rounds);
        assertEquals(8, opts.latencySeconds);
        assertNull(opts.only, "all workloads");
        assertNull(opts.orders, "the built-in backlog sizes");
        assertEquals("match", opts.courierPoolSize);
        assertEquals(Path.of("worker/target/order-worker.jar"), opts.workerJar);
        assertNull(opts.baselineJar);
        assertNull(opts.workerJvmArg);
        assertNull(opts.backlog, "the comparison, not the backlog test");
        assertEquals(20, opts.backlogStepLatency);
        assertEquals(12, opts.backlogMinutes);
        assertEquals(30, opts.maxMinutes());
        assertEquals(Path.of("benchmark/results"), opts.results);
        assertEquals(Path.of("benchmark-pc/target/order-benchmark-pc.jar"), opts.pcJar);
        assertEquals(Path.of("stub-services/target/stub-services.jar"), opts.stubJar);
        assertEquals(false, opts.sweep);
        assertEquals(List.of(0, 20, 200, 1000), opts.sweepLatencies);
        assertEquals(List.of(1024, 16_384), opts.sweepInFlight);
    }

    @Test
    void sweep_readsItsGrid_andGetsALongerWatchdog() {
        BenchmarkOptions opts = parse("--sweep", "--sweep-latencies", "0,1000", "--sweep-in-flight=1024,4096,16384",
                "--rounds", "1", "--pc-jar", "/tmp/pc.jar", "--stub-jar", "/tmp/stub.jar");

        assertTrue(opts.sweep);
        assertEquals(List.of(0, 1000), opts.sweepLatencies);
        assertEquals(List.of(1024, 4096, 16_384), opts.sweepInFlight);
        assertEquals(1, opts.rounds);
        assertEquals(45, opts.maxMinutes(), "the default sweep takes about 20 minutes");
        assertEquals(10, parse("--sweep", "--max-minutes", "10").maxMinutes());
        assertEquals(Path.of("/tmp/pc.jar"), opts.pcJar);
        assertEquals(Path.of("/tmp/stub.jar"), opts.stubJar);
    }

    @Test
    void defaultComparison_putsEachParallelConsumerPeerRightAfterItsWorkload_withTheSameBacklog() {
        List<Workload> all = Comparison.workloads(parse());
        List<String> names = all.stream().map(Workload::name).toList();

        assertEquals(List.of("W0", "W1", "P1", "W2a", "W2b", "W2c", "P2c", "W3", "W1x", "W2x", "W2t", "W4h", "P4h"), names);
        Workload p2c = all.get(names.indexOf("P2c"));
        Workload w2c = all.get(names.indexOf("W2c"));
        assertEquals(Engine.PARALLEL_CONSUMER, p2c.engine());
        assertEquals(List.of(w2c.stepLatencyMs(), w2c.stepJitterMs(), w2c.maxInFlight(), w2c.orders()),
                List.of(p2c.stepLatencyMs(), p2c.stepJitterMs(), p2c.maxInFlight(), p2c.orders()));
        assertEquals(w2c.ordering(), p2c.ordering());
        assertTrue(all.get(names.indexOf("P4h")).http());
    }

    @Test
    void only_andOrders_selectAndSizeParallelConsumerPeersByTheirOwnNames() {
        List<Workload> chosen = Comparison.workloads(parse("--only", "W1,P4h", "--orders", "P4h=3000"));

        assertEquals(List.of("W1", "P4h"), chosen.stream().map(Workload::name).toList());
        assertEquals(3000, chosen.get(1).orders());
    }

    @Test
    void everyFlag_isReadAsDocumented() {
        BenchmarkOptions opts = parse("--rounds", "1", "--latency-seconds=5", "--only", "W0,W2c",
                "--orders", "W2a=20000,W3=3000", "--courier-pool-size", "64", "--worker-jar", "/tmp/w.jar",
                "--baseline-jar", "/tmp/before.jar", "--worker-jvm-arg", "-XX:StartFlightRecording=filename=/tmp/w.jfr",
                "--backlog-step-latency", "10", "--backlog-minutes", "3", "--max-minutes", "30", "--results", "/tmp/ab");

        assertEquals(1, opts.rounds);
        assertEquals(5, opts.latencySeconds);
        assertEquals(List.of("W0", "W2c"), opts.only);
        assertEquals(Map.of("W2a", 20000, "W3", 3000), opts.orders);
        assertEquals("64", opts.courierPoolSize);
        assertEquals(Path.of("/tmp/w.jar"), opts.workerJar);
        assertEquals(Path.of("/tmp/before.jar"), opts.baselineJar);
        assertEquals("-XX:StartFlightRecording=filename=/tmp/w.jfr", opts.workerJvmArg);
        assertEquals(10, opts.backlogStepLatency);
        assertEquals(3, opts.backlogMinutes);
        assertEquals(30, opts.maxMinutes());
        assertEquals(Path.of("/tmp/ab"), opts.results);
    }

    @Test
    void backlog_withoutACount_isAMillionOrders_withOneItIsThatMany() {
        assertEquals(1_000_000, parse("--backlog").backlog);
        assertEquals(1_000_000, parse("--backlog", "--rounds", "1").backlog);
        assertEquals(50_000, parse("--backlog", "50000").backlog);
    }

    @Test
    void help_isRecognised_andListsEveryFlag() {
        CommandLine cli = BenchmarkOptions.parse("--help");

        assertTrue(cli.isUsageHelpRequested());
        String usage = cli.getUsageMessage();
        for (String flag : List.of("--rounds", "--latency-seconds", "--only", "--orders", "--courier-pool-size",
                "--worker-jar", "--baseline-jar", "--worker-jvm-arg", "--backlog", "--backlog-step-latency",
                "--backlog-minutes", "--max-minutes", "--results", "--pc-jar", "--stub-jar", "--sweep",
                "--sweep-latencies", "--sweep-in-flight")) {
            assertTrue(usage.contains(flag), () -> flag + " in\n" + usage);
        }
    }

    @Test
    void badValue_isRefused_withOneLineNamingTheFlag() {
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                () -> BenchmarkOptions.parse("--rounds", "many"));

        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().contains("--rounds") && e.getMessage().contains("many"), e.getMessage());
    }

    @Test
    void unknownFlag_isRefused() {
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                () -> BenchmarkOptions.parse("--round", "1"));

        assertTrue(e.getMessage().contains("--round"), e.getMessage());
    }
}
