package dev.orderpipeline.worker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.Durations;
import dev.orderpipeline.worker.config.EffectiveConfig.Setting;
import dev.orderpipeline.worker.config.EffectiveConfig.Source;
import dev.orderpipeline.worker.config.ServiceGuarding;
import dev.orderpipeline.worker.config.WorkerConfig;
import dev.orderpipeline.worker.config.Delivery;
import dev.orderpipeline.worker.config.Ordering;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Start-up configuration: flags over environment over --config file over defaults; a bad
 * configuration stops start-up with one line naming the key and the problem, exit code 2; secrets
 * never reach the log or an error.
 */
@Timeout(60)
class MainTest {

    static Stream<Arguments> badConfigurations() {
        return Stream.of(
                Arguments.of(new String[] {"--bootstrap-servers", "localhost"},
                        "--bootstrap-servers (KAFKA_BOOTSTRAP_SERVERS): \"localhost\" is not host:port; write e.g. localhost:9092"),
                Arguments.of(new String[] {"--bootstrap-servers", "kafka-1:9092,kafka-2"},
                        "--bootstrap-servers (KAFKA_BOOTSTRAP_SERVERS): \"kafka-2\" is not host:port; write e.g. kafka-2:9092"),
                Arguments.of(new String[] {"--bootstrap-servers", "kafka-1:0"},
                        "--bootstrap-servers (KAFKA_BOOTSTRAP_SERVERS): \"kafka-1:0\" has port 0; a port is 1..65535"),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--order-deadline", "soon"},
                        "--order-deadline (ORDER_DEADLINE): \"soon\" is not a duration"),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--order-deadline", "0s"},
                        "--order-deadline (ORDER_DEADLINE): must be a positive duration"),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--max-in-flight", "0"},
                        "--max-in-flight (MAX_IN_FLIGHT): must be at least 1, got 0"),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--results-topic", "orders"},
                        "must be three different topics"),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--orders-topic", "bad topic"},
                        "--orders-topic (ORDERS_TOPIC): \"bad topic\" may only contain"),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--payment-decline-rate", "2"},
                        "paymentDeclineRate must be between 0 and 1, got 2.0"),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--kafka", "enable.auto.commit=true"},
                        "--kafka enable.auto.commit: is managed by the worker"),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--max-in-flight", "many"},
                        "Invalid value for option '--max-in-flight'"),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--payment-url", "http://pay.local"},
                        "--payment-url/--vendor-url/--courier-url: give all three (HTTP steps) or none"),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--payment-url", "ftp://pay.local",
                        "--vendor-url", "http://v", "--courier-url", "http://c"},
                        "--payment-url (PAYMENT_URL): \"ftp://pay.local\" is not an http:// or https:// URL"),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--retry-on", "payment_declined"},
                        "--retry-on (RETRY_ON): payment_declined is never retried"),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--retry-max-attempts", "0"},
                        "--retry-max-attempts (RETRY_MAX_ATTEMPTS): must be at least 1"),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--compensation-deadline", "0ms"},
                        "--compensation-deadline (COMPENSATION_DEADLINE): must be a positive duration"),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--delivery", "exactly-twice"},
                        "--delivery (DELIVERY): \"exactly-twice\" is not one of at-least-once, exactly-once"),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--kafka", "transactional.id=mine"},
                        "--kafka transactional.id: is managed by the worker"),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--kafka", "group.instance.id=w1"},
                        "--kafka group.instance.id: is managed by the worker: it is the --worker-id"),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--delivery", "exactly-once",
                        "--commit-interval", "11s", "--kafka", "transaction.timeout.ms=15000"},
                        "--commit-interval (COMMIT_INTERVAL): with --delivery exactly-once, 11000 ms leaves no room "
                                + "within --kafka transaction.timeout.ms (15000 ms) less 5 s"),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--delivery", "exactly-once",
                        "--commit-interval", "2m", "--kafka", "transaction.timeout.ms=60000"},
                        "--commit-interval (COMMIT_INTERVAL): with --delivery exactly-once, 120000 ms leaves no room"),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--delivery", "exactly-once",
                        "--kafka", "transaction.timeout.ms=soon"},
                        "--kafka transaction.timeout.ms: must be a positive number of milliseconds, got soon"),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--log-format", "xml"},
                        "--log-format (LOG_FORMAT): \"xml\" is not one of text, json"),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--breakers", "maybe"},
                        "--breakers (BREAKERS): \"maybe\" is not one of on, off"),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--breaker-failure-rate", "0"},
                        "--breaker-failure-rate (BREAKER_FAILURE_RATE): must be a percentage 1..100, got 0"),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--breaker-window", "1"},
                        "--breaker-window (BREAKER_WINDOW): must be at least 2, got 1"),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--breaker-open-wait", "0s"},
                        "--breaker-open-wait (BREAKER_OPEN_WAIT): must be a positive duration"),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--breaker-probes", "0"},
                        "--breaker-probes (BREAKER_PROBES): must be at least 1, got 0"),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--breaker-longest-pause", "forever"},
                        "--breaker-longest-pause (BREAKER_LONGEST_PAUSE): "),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--bulkhead-max-calls", "0"},
                        "--bulkhead-max-calls (BULKHEAD_MAX_CALLS): must be at least 1, got 0"),
                Arguments.of(new String[] {"--no-such-flag"}, "Unknown option: '--no-such-flag'"));
    }

    @ParameterizedTest
    @MethodSource("badConfigurations")
    void badConfiguration_stopsStartUp_withOneLineNamingTheKey(String[] args, String want) {
        Captured run = run(args);

        assertEquals(2, run.exitCode, () -> "exit code for " + String.join(" ", args) + "; stderr: " + run.err);
        String[] lines = run.err.strip().split("\n");
        assertEquals(1, lines.length, () -> "want one line, got: " + run.err);
        assertTrue(lines[0].startsWith("order-worker: "), () -> "got " + lines[0]);
        assertTrue(lines[0].contains(want), () -> "got " + lines[0] + ", want it to contain " + want);
    }

    @Test
    void missingBootstrapServers_isNamed_unlessEmbedded() {
        // The environment of the build may set KAFKA_BOOTSTRAP_SERVERS; an explicit empty flag wins.
        Captured run = run("--bootstrap-servers", "");

        assertEquals(2, run.exitCode, () -> "stderr: " + run.err);
        assertTrue(run.err.contains("--bootstrap-servers (KAFKA_BOOTSTRAP_SERVERS): not set"), () -> "got " + run.err);
    }

    @Test
    void unreachableCluster_failsStartUpFast_withExitCode4() {
        long start = System.nanoTime();
        Captured run = run("--bootstrap-servers", "127.0.0.1:1", "--connect-timeout", "3s");
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;

        assertEquals(4, run.exitCode, () -> "stderr: " + run.err);
        assertTrue(run.err.contains("cannot reach Kafka at 127.0.0.1:1"), () -> "got " + run.err);
        // Bounded, not a hang; generous for a loaded 2-core CI machine.
        assertTrue(seconds < 25, () -> "took " + seconds + " s");
    }

    @Test
    void badOtelVariable_stopsStartUpWithExitCode2_andOneLineNamingIt_beforeConnecting() {
        Captured run = run(Map.of("OTEL_TRACES_EXPORTER", "zipkin-ish"), "--bootstrap-servers", "127.0.0.1:1",
                "--connect-timeout", "3s");

        assertEquals(2, run.exitCode, () -> "stderr: " + run.err);
        String last = run.err.strip().lines().toList().getLast();
        assertTrue(last.startsWith("order-worker: invalid configuration: OTEL_TRACES_EXPORTER: "), run.err);
        assertFalse(run.err.contains("cannot reach Kafka"), run.err);
    }

    @Test
    void kafkaPropertyTheClientRefuses_isAConfigError_namingTheKeyButNotTheValue() {
        Captured run = run("--bootstrap-servers", "127.0.0.1:1", "--connect-timeout", "3s",
                "--kafka", "security.protocol=BOGUS-VALUE");

        assertEquals(2, run.exitCode, () -> "stderr: " + run.err);
        List<String> lines = run.err.strip().lines().toList();
        assertEquals("order-worker: invalid configuration: --kafka security.protocol: invalid value; String must be one of "
                + "(case insensitive): SASL_SSL, PLAINTEXT, SSL, SASL_PLAINTEXT", lines.getLast(), run.err);
        // The value might have been a secret; the effective-configuration line masks those on its own.
        assertFalse(lines.getLast().contains("BOGUS-VALUE"), run.err);
    }

    @Test
    void help_listsEveryExitCode() {
        Captured run = run("--help");

        assertEquals(0, run.exitCode);
        for (String code : new String[] {"0", "1", "2", "3", "4"}) {
            assertTrue(run.out.contains("\n  " + code + "   "), () -> "exit code " + code + " missing from help:\n" + run.out);
        }
    }

    // Precedence: flag > environment > --config file > default. Each row sets --order-deadline and
    // --max-in-flight in some of the layers; the highest layer set must win, and be named as the source.
    static Stream<Arguments> precedence() {
        return Stream.of(
                Arguments.of("nothing set", Map.of(), "", List.of(), "5s", "default", 256, "default"),
                Arguments.of("file only", Map.of(), "order-deadline=3s\nmax-in-flight=512", List.of(), "3s", "file", 512, "file"),
                Arguments.of("env over file", Map.of("ORDER_DEADLINE", "2s"), "order-deadline=3s\nmax-in-flight=512", List.of(),
                        "2s", "env", 512, "file"),
                Arguments.of("flag over env over file", Map.of("ORDER_DEADLINE", "2s", "MAX_IN_FLIGHT", "128"),
                        "order-deadline=3s\nmax-in-flight=512", List.of("--order-deadline", "1s"), "1s", "flag", 128, "env"),
                Arguments.of("flag over file", Map.of(), "order-deadline=3s", List.of("--order-deadline=1s", "--max-in-flight", "64"),
                        "1s", "flag", 64, "flag"),
                Arguments.of("blank env is unset", Map.of("ORDER_DEADLINE", " "), "order-deadline=3s", List.of(),
                        "3s", "file", 256, "default"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("precedence")
    void precedence_flagOverEnvOverFileOverDefault(String name, Map<String, String> env, String file, List<String> flags,
                                                   String wantDeadline, String wantDeadlineSource,
                                                   int wantInFlight, String wantInFlightSource) throws IOException {
        Path config = Files.writeString(dir.resolve("worker.properties"), file, StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", "127.0.0.1:9092", "--config", config.toString()));
        args.addAll(flags);

        Main main = parse(env, args.toArray(String[]::new));
        WorkerConfig got = main.config();
        Map<String, Setting> settings = byKey(main.effectiveSettings());

        assertEquals(Durations.parse(wantDeadline), got.flow().orderDeadline(), "order deadline");
        assertEquals(wantDeadlineSource, settings.get("order-deadline").source().toString(), "order-deadline source");
        assertEquals(wantInFlight, got.flow().maxInFlight(), "max in flight");
        assertEquals(wantInFlightSource, settings.get("max-in-flight").source().toString(), "max-in-flight source");
    }

    @Test
    void configFile_canBeNamedByEnvironment_andSetsEveryKindOfOption() throws IOException {
        Path config = Files.writeString(dir.resolve("w.properties"), """
                bootstrap-servers=broker-1:9092,broker-2:9092
                create-topics=true
                ordering=partition
                delivery=exactly-once
                payment-decline-rate=0.25
                worker-id=from-file
                """, StandardCharsets.UTF_8);

        Main main = parse(Map.of("WORKER_CONFIG", config.toString()));
        WorkerConfig got = main.config();

        assertEquals("broker-1:9092,broker-2:9092", got.kafka().bootstrapServers());
        assertTrue(got.topics().create(), "create-topics");
        assertEquals(Ordering.PARTITION, got.delivery().ordering());
        assertEquals(Delivery.EXACTLY_ONCE, got.delivery().mode());
        assertEquals(0.25, got.steps().simulation().paymentDeclineRate());
        assertEquals("from-file", got.kafka().workerId());
        Map<String, Setting> settings = byKey(main.effectiveSettings());
        assertEquals(new Setting("config", config.toString(), Source.ENV), settings.get("config"));
        assertEquals(new Setting("worker-id", "from-file", Source.FILE), settings.get("worker-id"));
    }

    @Test
    void delivery_isAtLeastOnceByDefault_exactlyOnceByFlagOrEnvironment() {
        assertEquals(Delivery.AT_LEAST_ONCE, parse(Map.of(), "--bootstrap-servers", "b:9092").config().delivery().mode());
        assertEquals(Delivery.EXACTLY_ONCE,
                parse(Map.of(), "--bootstrap-servers", "b:9092", "--delivery", "exactly-once").config().delivery().mode());
        Main fromEnv = parse(Map.of("DELIVERY", "EXACTLY_ONCE"), "--bootstrap-servers", "b:9092");
        assertEquals(Delivery.EXACTLY_ONCE, fromEnv.config().delivery().mode());
        assertEquals(new Setting("delivery", "EXACTLY_ONCE", Source.ENV), byKey(fromEnv.effectiveSettings()).get("delivery"));
    }

    /**
     * The loop commits every interval also while draining or waiting on a revocation, so long
     * budgets fit a short transaction timeout.
     */
    @Test
    void longBudgets_fitAShortTransactionTimeout() {
        assertEquals(Duration.ofMinutes(20), parse(Map.of(), "--bootstrap-servers", "b:9092", "--delivery", "exactly-once",
                "--drain-budget", "20m", "--kafka", "transaction.timeout.ms=15000").config().flow().drainBudget());
        assertEquals(Duration.ofSeconds(50), parse(Map.of(), "--bootstrap-servers", "b:9092", "--delivery", "exactly-once",
                "--order-deadline", "50s", "--kafka", "transaction.timeout.ms=15000").config().flow().orderDeadline());
        assertEquals(Duration.ofMinutes(5), parse(Map.of(), "--bootstrap-servers", "b:9092",
                "--drain-budget", "5m").config().flow().drainBudget());
    }

    /** The grammar order-cli shares: a fraction of a second is a duration here as it is there. */
    @Test
    void fractionalDurations_areAccepted_fromFlagAndEnvironment() {
        assertEquals(Duration.ofMillis(1500), parse(Map.of(), "--bootstrap-servers", "b:9092",
                "--order-deadline", "1.5s").config().flow().orderDeadline());
        assertEquals(Duration.ofMillis(2500), parse(Map.of("DRAIN_BUDGET", "2.5s"), "--bootstrap-servers", "b:9092")
                .config().flow().drainBudget());
    }

    @Test
    void kafkaProperties_fromFileAndFlags_areMerged_flagWins() throws IOException {
        Path config = Files.writeString(dir.resolve("w.properties"), """
                kafka.security.protocol=SASL_SSL
                kafka.client.rack=rack-file
                """, StandardCharsets.UTF_8);

        Main main = parse(Map.of(), "--bootstrap-servers", "b:9092", "--config", config.toString(),
                "--kafka", "client.rack=rack-flag");

        assertEquals(Map.of("security.protocol", "SASL_SSL", "client.rack", "rack-flag"), main.config().kafka().overrides());
        Map<String, Setting> settings = byKey(main.effectiveSettings());
        assertEquals(new Setting("kafka.security.protocol", "SASL_SSL", Source.FILE), settings.get("kafka.security.protocol"));
        assertEquals(new Setting("kafka.client.rack", "rack-flag", Source.FLAG), settings.get("kafka.client.rack"));
    }

    /** Tests and embedders build from WorkerConfig.builder(): its defaults are the ones order-worker documents. */
    @Test
    void noOptions_giveTheConfigBuildersDefaults_butForTheHttpPortAndWorkerId() {
        WorkerConfig got = parse(Map.of("HOSTNAME", "node-1"), "--bootstrap-servers", "b:9092").config();

        WorkerConfig want = WorkerConfig.builder().bootstrapServers("b:9092")
                .workerId("node-1-" + ProcessHandle.current().pid())
                .httpPort(8080)
                .build();
        assertEquals(want, got);
    }

    @Test
    void breakers_areOnByDefault_offByFlagOrEnvironment_andTheirSettingsReachTheConfig() {
        assertTrue(parse(Map.of(), "--bootstrap-servers", "b:9092").config().steps().guarding().breakers());
        assertFalse(parse(Map.of(), "--bootstrap-servers", "b:9092", "--breakers", "off").config().steps().guarding()
                .breakers());
        assertFalse(parse(Map.of("BREAKERS", "off"), "--bootstrap-servers", "b:9092").config().steps().guarding()
                .breakers());

        ServiceGuarding got = parse(Map.of("BREAKER_OPEN_WAIT", "750ms"), "--bootstrap-servers", "b:9092",
                "--breaker-failure-rate", "25", "--breaker-window", "8", "--breaker-probes", "1",
                "--breaker-longest-pause", "90s", "--bulkhead-max-calls", "12").config().steps().guarding();

        assertEquals(new ServiceGuarding(true, 25, 8, Duration.ofMillis(750), 1, Duration.ofSeconds(90), 12), got);
    }

    @Test
    void workerId_defaultsToHostAndPid_fromTheGivenEnvironment() {
        Main main = parse(Map.of("HOSTNAME", "node 7"), "--bootstrap-servers", "b:9092");

        assertEquals("node-7-" + ProcessHandle.current().pid(), main.config().kafka().workerId());
        assertEquals(Source.DEFAULT, byKey(main.effectiveSettings()).get("worker-id").source());
    }

    static Stream<Arguments> badConfigFiles() {
        return Stream.of(
                Arguments.of("missing, by flag", Map.of(), List.of("--config", "%dir/nope.properties"),
                        "--config (WORKER_CONFIG): cannot read %dir/nope.properties: no such file"),
                Arguments.of("missing, by environment", Map.of("WORKER_CONFIG", "%dir/nope.properties"), List.of(),
                        "--config (WORKER_CONFIG): cannot read %dir/nope.properties: no such file"),
                Arguments.of("a directory", Map.of(), List.of("--config", "%dir"), "--config (WORKER_CONFIG): cannot read %dir: "),
                Arguments.of("unknown key", Map.of(), List.of("--config", "%dir/typo.properties"),
                        "--config (WORKER_CONFIG): %dir/typo.properties: unknown key \"max-inflight\""),
                Arguments.of("managed Kafka key", Map.of(), List.of("--config", "%dir/managed.properties"),
                        "--kafka enable.auto.commit: is managed by the worker"),
                Arguments.of("bad value", Map.of(), List.of("--config", "%dir/bad-value.properties"),
                        "Invalid value for option '--max-in-flight': 'many' is not an int"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigFiles")
    void badConfigFile_stopsStartUp_withOneLineNamingTheFile(String name, Map<String, String> env, List<String> flags,
                                                             String want) throws IOException {
        Files.writeString(dir.resolve("typo.properties"), "order-deadline=5s\nmax-inflight=512\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("managed.properties"), "kafka.enable.auto.commit=true\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("bad-value.properties"), "max-in-flight=many\n", StandardCharsets.UTF_8);
        Map<String, String> envInDir = new HashMap<>();
        env.forEach((k, v) -> envInDir.put(k, v.replace("%dir", dir.toString())));
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", "127.0.0.1:9092"));
        flags.forEach(f -> args.add(f.replace("%dir", dir.toString())));
        String wantInDir = want.replace("%dir", dir.toString());

        Captured run = run(envInDir, args.toArray(String[]::new));

        assertEquals(2, run.exitCode, () -> "exit code; stderr: " + run.err);
        String[] lines = run.err.strip().split("\n");
        assertEquals(1, lines.length, () -> "want one line, got: " + run.err);
        assertTrue(lines[0].startsWith("order-worker: "), () -> "got " + lines[0]);
        assertTrue(lines[0].contains(wantInDir), () -> "got " + lines[0] + ", want it to contain " + wantInDir);
    }

    @Test
    void secrets_fromFlagAndFile_neverAppearInTheLog_butOtherValuesDo() throws IOException {
        Path config = Files.writeString(dir.resolve("w.properties"), """
                order-deadline=750ms
                kafka.ssl.key.password=f1le-s3cret
                kafka.client.rack=rack-from-file
                """, StandardCharsets.UTF_8);

        Captured run = run(Map.of("MAX_IN_FLIGHT", "77"), "--bootstrap-servers", "127.0.0.1:1", "--connect-timeout", "1s",
                "--http-port", "0", "--config", config.toString(),
                "--kafka", "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"alice\" password=\"s3cret\";",
                "--kafka", "client.id.prefix.note=visible");

        assertEquals(4, run.exitCode, () -> "stderr: " + run.err);
        String all = run.out + run.err;
        assertFalse(all.contains("s3cret"), () -> "secret leaked:\n" + all);
        List<String> lines = all.lines().filter(l -> l.contains("effective configuration: ")).toList();
        assertEquals(1, lines.size(), () -> "want the effective configuration logged once, got:\n" + all);
        for (String want : new String[] {"bootstrap-servers=127.0.0.1:1 (flag)", "order-deadline=750ms (file)",
                "max-in-flight=77 (env)", "group-id=order-worker (default)", "kafka.client.rack=rack-from-file (file)",
                "kafka.client.id.prefix.note=visible (flag)", "kafka.ssl.key.password=**** (file)",
                "kafka.sasl.jaas.config=**** (flag)"}) {
            assertTrue(lines.get(0).contains(want), () -> "want " + want + " in " + lines.get(0));
        }
    }

    @Test
    void secrets_neverAppearInConfigurationErrors() throws IOException {
        Path config = Files.writeString(dir.resolve("w.properties"), """
                kafka.ssl.key.password=f1le-s3cret
                sasl.jaas.config=password="s3cret"
                """, StandardCharsets.UTF_8);
        String jaas = "sasl.jaas.config=x required password=\"s3cret\";";
        String[][] attempts = {
                {"--bootstrap-servers", "b:9092", "--config", config.toString(), "--kafka", jaas},
                {"--bootstrap-servers", "b:9092", "--kafka", jaas, "--max-in-flight", "0"},
                {"--bootstrap-servers", "b:9092", "--kafka", jaas, "--max-in-flight", "many"},
                {"--bootstrap-servers", "b:9092", "--kafka", jaas, "--kafka", "acks=0"},
                {"--bootstrap-servers", "b:9092", "--kafka", jaas, "--no-such-flag"}};
        for (String[] args : attempts) {
            Captured run = run(Map.of(), args);

            assertEquals(2, run.exitCode, () -> "exit code for " + List.of(args) + "; stderr: " + run.err);
            assertFalse((run.out + run.err).contains("s3cret"), () -> "secret leaked for " + List.of(args) + ": " + run.err);
        }
    }

    @Test
    void everyOption_namesItsEnvironmentVariable_asTheProviderReadsIt() {
        CommandLine cli = Main.commandLine(Map.of());
        for (OptionSpec option : cli.getCommandSpec().options()) {
            if (option.usageHelp() || option.versionHelp()) {
                continue;
            }
            String env = LayeredDefaults.envName(option.longestName());
            String description = String.join(" ", option.description());
            if (env == null) {
                assertFalse(description.contains("Env:"), () -> option.longestName() + ": " + description);
            } else {
                assertTrue(description.contains("Env: " + env), () -> option.longestName() + " reads " + env + ": " + description);
            }
        }
    }

    @TempDir
    Path dir;

    private static Main parse(Map<String, String> env, String... args) {
        CommandLine cli = Main.commandLine(env);
        cli.parseArgs(args);
        return cli.getCommand();
    }

    private static Map<String, Setting> byKey(List<Setting> settings) {
        Map<String, Setting> byKey = new LinkedHashMap<>();
        settings.forEach(s -> byKey.put(s.key(), s));
        return byKey;
    }

    private record Captured(int exitCode, String out, String err) {
    }

    private static Captured run(String... args) {
        return run(null, args);
    }

    /** Runs Main with {@code env} as its environment, or the process environment when null. */
    private static Captured run(Map<String, String> env, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            int code = env == null ? Main.run(args) : Main.run(env, args);
            return new Captured(code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
