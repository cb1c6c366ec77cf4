package dev.orderpipeline.benchmark.pc;

import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.contract.Simulation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One hand-run trial of the runner at scale, as a single command: a broker JVM (from the worker's
 * shaded jar), a backlog of valid orders on a 6-partition topic, then the runner in a JVM of its
 * own until every order has its outcome, then SIGTERM. Prints orders/s (from the runner's
 * "started" line to the last outcome), the runner's CPU seconds and its CPU per order over that
 * time, its peak RSS and threads. Not part of any build; see benchmark/README.md,
 * "Parallel Consumer".
 */
@Command(name = "scale-trial", mixinStandardHelpOptions = true,
        description = "Runs the Parallel Consumer runner over a backlog of orders and reports throughput, CPU and RSS.")
public final class ScaleTrial implements java.util.concurrent.Callable<Integer> {

    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+)");
    private static final String ORDERS = "orders";
    private static final String RESULTS = "order-results";
    private static final String DEAD_LETTERS = "orders.DLT";

    @Option(names = "--orders", defaultValue = "100000", description = "Backlog size (default: ${DEFAULT-VALUE}).")
    int orders;

    @Option(names = "--worker-jar", defaultValue = "worker/target/order-worker.jar",
            description = "Shaded worker jar, for its LocalKafkaBroker (default: ${DEFAULT-VALUE}).")
    Path workerJar;

    @Option(names = "--runner-jar", defaultValue = "benchmark-pc/target/order-benchmark-pc.jar",
            description = "The runner's shaded jar (default: ${DEFAULT-VALUE}).")
    Path runnerJar;

    @Option(names = "--runner-heap", defaultValue = "1g", description = "-Xmx of the runner (default: ${DEFAULT-VALUE}).")
    String runnerHeap;

    @Option(names = "--logs", defaultValue = "benchmark-pc/target/scale-trial",
            description = "Where the child JVMs' output goes (default: ${DEFAULT-VALUE}).")
    Path logs;

    @Option(names = "--timeout", defaultValue = "10m", description = "Longest wait for all outcomes (default: ${DEFAULT-VALUE}).")
    String timeout;

    @CommandLine.Parameters(paramLabel = "RUNNER-FLAGS",
            description = "Flags for the runner after --, e.g. -- --max-in-flight 1024 --step-latency 20ms.")
    List<String> runnerFlags = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new ScaleTrial()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(logs);
        Process broker = start(List.of(java(), "--enable-preview", "-Xms1g", "-Xmx1g", "-cp", workerJar.toString(),
                "dev.orderpipeline.localkafka.LocalKafkaBroker", "--port", "0"), logs.resolve("broker.log"));
        try {
            String bootstrap = awaitBootstrap(broker, logs.resolve("broker.log"));
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic(ORDERS, 6, (short) 1), new NewTopic(RESULTS, 6, (short) 1),
                        new NewTopic(DEAD_LETTERS, 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
                preload(bootstrap);
                return runRunner(admin, bootstrap);
            }
        } finally {
            broker.destroy();
            broker.waitFor(60, TimeUnit.SECONDS);
        }
    }

    private int runRunner(Admin admin, String bootstrap) throws Exception {
        List<String> command = new ArrayList<>(List.of(java(), "--enable-preview", "-Xmx" + runnerHeap, "-jar",
                runnerJar.toString(), "--bootstrap-servers", bootstrap, "--orders-topic", ORDERS, "--results-topic",
                RESULTS, "--dead-letter-topic", DEAD_LETTERS, "--group-id", "scale-trial"));
        command.addAll(runnerFlags);
        Path out = logs.resolve("runner.out");
        Process runner = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(logs.resolve("runner.err").toFile()).start();
        long pid = runner.pid();
        long deadline = System.nanoTime() + dev.orderpipeline.contract.Durations.parse(timeout).toNanos();
        long startedAt = 0;
        double cpuAtStart = 0;
        long outcomes = 0;
        int peakThreads = 0;
        while (outcomes < orders && runner.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(250);
            if (startedAt == 0 && Files.readString(out).contains("parallel consumer started")) {
                startedAt = System.nanoTime();
                cpuAtStart = cpuSeconds(pid);
            }
            outcomes = endOffsets(admin);
            peakThreads = Math.max(peakThreads, (int) status(pid, "Threads:"));
        }
        long doneAt = System.nanoTime();
        double cpu = cpuSeconds(pid) - cpuAtStart;
        long hwmKb = status(pid, "VmHWM:");
        runner.destroy();
        boolean exited = runner.waitFor(60, TimeUnit.SECONDS);
        double seconds = (doneAt - startedAt) / 1e9;
        System.out.printf("runner flags: %s%n", String.join(" ", runnerFlags));
        System.out.printf("outcomes %d of %d in %.1f s: %.0f orders/s; runner CPU %.1f s (%.0f %% of one core, "
                        + "%.0f µs per order); peak RSS %d MiB; peak threads %d%n", outcomes, orders, seconds,
                outcomes / seconds, cpu, 100 * cpu / seconds, 1e6 * cpu / Math.max(1, outcomes), hwmKb / 1024,
                peakThreads);
        System.out.println("runner: " + (exited ? "exit " + runner.exitValue() : "did not exit within 60 s of SIGTERM")
                + "; " + Files.readString(out).lines().filter(l -> l.startsWith("parallel consumer stopped"))
                .findFirst().orElse("no stop line"));
        if (!exited) {
            runner.destroyForcibly();
        }
        return outcomes >= orders && exited && runner.exitValue() == 0 ? 0 : 1;
    }

    private void preload(String bootstrap) {
        OrderCodec codec = new OrderCodec();
        SplittableRandom random = new SplittableRandom(20261207L);
        Instant now = Instant.now();
        long t = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
            for (int i = 0; i < orders; i++) {
                String id = "order-" + i;
                producer.send(new ProducerRecord<>(ORDERS, id.getBytes(StandardCharsets.UTF_8),
                        codec.encode(SampleOrders.order(id, now, Simulation.NONE, random))));
            }
            producer.flush();
        }
        System.out.printf("backlog of %d orders written in %.1f s%n", orders, (System.nanoTime() - t) / 1e9);
    }

    private static long endOffsets(Admin admin) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
        for (int p = 0; p < 6; p++) {
            latest.put(new TopicPartition(RESULTS, p), OffsetSpec.latest());
        }
        return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                .mapToLong(r -> r.offset()).sum();
    }

    /** User plus system CPU of {@code pid} so far, from /proc (clock ticks of 1/100 s). */
    private static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    /** A number from /proc/pid/status ({@code VmHWM:} in kB, {@code Threads:}), or 0 once it has gone. */
    private static long status(long pid, String key) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(l -> l.startsWith(key)).findFirst()
                    .map(l -> Long.parseLong(l.substring(key.length()).strip().split("\\s+")[0])).orElse(0L);
        } catch (IOException e) {
            return 0;
        }
    }

    private static Process start(List<String> command, Path log) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static String awaitBootstrap(Process broker, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline && broker.isAlive()) {
            Matcher m = LISTENING.matcher(Files.readString(log));
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the broker did not start; its log: " + log);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
