package dev.orderpipeline.worker.app;

import dev.orderpipeline.worker.config.ConfigException;
import dev.orderpipeline.worker.config.EffectiveConfig.Setting;
import dev.orderpipeline.worker.config.EffectiveConfig.Source;
import dev.orderpipeline.worker.config.EffectiveConfig;
import dev.orderpipeline.worker.config.WorkerConfig;
import dev.orderpipeline.worker.consume.PollLoop;
import dev.orderpipeline.worker.trace.Tracing;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * {@code order-worker}: reads the command line and environment, starts the {@link Worker},
 * stops it on SIGTERM or Ctrl-C, and exits with a code that says how it ended.
 */
@Command(name = "order-worker", mixinStandardHelpOptions = true, version = "order-worker 0.1.0",
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Consumes orders from Kafka, runs payment, vendor and courier for each at once under a "
                + "deadline, and publishes one outcome per order. Every option can also be set with the "
                + "environment variable shown, or in the --config file; a flag wins over the environment, "
                + "which wins over the file, which wins over the default.",
        exitCodeListHeading = "%nExit codes:%n")
public final class Main implements Callable<Integer> {

    // No static logger: initialising this class must not set up logging before main() has
    // taken over the stop signals (see main).

    /** The options: picocli fills them in, over {@link #defaults}. */
    @Mixin
    WorkerFlags flags = new WorkerFlags();

    /** Environment and {@code --config} file under the flags; set before parsing. */
    private LayeredDefaults defaults;

    /** The stop signals: taken over by main() before parsing, else when the command runs. */
    private StopSignals signals;

    /** The environment, for the OTEL_* variables of tracing. */
    private Map<String, String> env = Map.of();

    public static void main(String[] args) {
        // First of all: from here on SIGTERM and Ctrl-C are ours. Before this line the JVM's own
        // handler ends the process with 143; nothing of the worker has started then.
        StopSignals signals = StopSignals.install();
        int code;
        try {
            code = commandLine(System.getenv(), signals).execute(args);
        } catch (Throwable e) {
            // Not a known failure (those return their code): one line, and the process ends
            // instead of lingering on threads that start-up left behind.
            System.err.println("order-worker: stopped by an unexpected error: " + describe(e));
            code = ExitCode.FAILED.code();
        }
        System.exit(code);
    }

    /** Runs with the process environment. */
    static int run(String... args) {
        return run(System.getenv(), args);
    }

    /** Runs with {@code env} as the environment, so that tests can set it. */
    static int run(Map<String, String> env, String... args) {
        return commandLine(env).execute(args);
    }

    /**
     * The command line of a {@link Main} that reads {@code env} as its environment; it takes over
     * the stop signals only when it runs.
     */
    static CommandLine commandLine(Map<String, String> env) {
        return commandLine(env, null);
    }

    /** An exception and, if it has one, its root cause: the part that usually says what went wrong. */
    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.toString() : e + "; caused by " + root;
    }

    private static CommandLine commandLine(Map<String, String> env, StopSignals signals) {
        Main main = new Main();
        main.signals = signals;
        main.env = env;
        CommandLine cli = new CommandLine(main);
        cli.getCommandSpec().usageMessage().exitCodeList(ExitCode.helpList());
        main.defaults = new LayeredDefaults(env, cli.getCommandSpec());
        cli.setDefaultValueProvider(main.defaults);
        cli.setParameterExceptionHandler((e, argv) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("order-worker: " + e.getMessage() + " (see --help)");
            return ExitCode.CONFIG.code();
        });
        // Whatever call() did not turn into a code: one line, no trace (main adds nothing to it).
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            commandLine.getErr().println("order-worker: stopped by an unexpected error: " + describe(e));
            return ExitCode.FAILED.code();
        });
        return cli;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (signals == null) {
            signals = StopSignals.install();
        }
        Optional<String> jvmProblem = PreviewCheck.problem();
        if (jvmProblem.isPresent()) {
            System.err.println("order-worker: " + jvmProblem.get());
            return ExitCode.CONFIG.code();
        }
        WorkerConfig config;
        try {
            config = config();
            // Before the first log line, so that every line of the run has the one format.
            Logging.use(flags.logFormat());
        } catch (ConfigException | IllegalArgumentException | IllegalStateException e) {
            System.err.println("order-worker: invalid configuration: " + e.getMessage());
            return ExitCode.CONFIG.code();
        }
        if (signals.stopRequested()) {
            return stoppedDuringStartUp("before connecting");
        }
        // The line below tells whoever waits for the process that main() runs (and the signals are ours).
        log().info("effective configuration: {}", EffectiveConfig.describe(effectiveSettings()));
        Tracing tracing;
        try {
            tracing = Tracing.fromEnvironment(env);
        } catch (ConfigException e) {
            System.err.println("order-worker: invalid configuration: " + e.getMessage());
            return ExitCode.CONFIG.code();
        }
        Worker worker;
        try {
            worker = Worker.start(config, Clock.systemUTC(), tracing);
        } catch (InterruptedException e) {
            if (!signals.stopRequested()) {
                throw e;
            }
            // Stopped before any order was taken: nothing to drain, a clean stop.
            return stoppedDuringStartUp("before taking any order");
        } catch (ConfigException e) {
            if (signals.stopRequested()) {
                return stoppedDuringStartUp(e.getMessage());
            }
            System.err.println("order-worker: invalid configuration: " + e.getMessage());
            return ExitCode.CONFIG.code();
        } catch (IllegalStateException e) {
            if (signals.stopRequested()) {
                return stoppedDuringStartUp(e.getMessage());
            }
            System.err.println("order-worker: " + e.getMessage());
            return ExitCode.KAFKA_UNAVAILABLE.code();
        } catch (RuntimeException e) {
            // A Kafka client interrupted while it was being set up throws its own unchecked kind.
            if (signals.stopRequested()) {
                return stoppedDuringStartUp(e.toString());
            }
            Optional<String> kafkaProblem = kafkaConfigProblem(e);
            if (kafkaProblem.isEmpty()) {
                throw e;
            }
            System.err.println("order-worker: invalid configuration: " + kafkaProblem.get());
            return ExitCode.CONFIG.code();
        }
        signals.started(worker);
        PollLoop.Exit exit = worker.awaitExit();
        worker.close();
        log().info("exit code {} ({})", ExitCode.of(exit).code(), exit);
        return ExitCode.of(exit).code();
    }

    /**
     * A Kafka client refused one of its properties (given with --kafka or as kafka.* in the file):
     * the property and the problem, without the value, which may be a secret. Kafka's message
     * reads "Invalid value V for configuration K[: problem]".
     */
    static Optional<String> kafkaConfigProblem(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof org.apache.kafka.common.config.ConfigException && t.getMessage() != null) {
                // Compiled here, not in a static field: Main's initialisation runs before main() takes over the signals.
                Matcher m = Pattern.compile("(?s)Invalid value .* for configuration (\\S+?)(?:: (.*))?").matcher(t.getMessage());
                return Optional.of(m.matches()
                        ? "--kafka " + m.group(1) + ": invalid value" + (m.group(2) == null ? "" : "; " + m.group(2))
                        : "--kafka: " + t.getMessage());
            }
        }
        return Optional.empty();
    }

    private static int stoppedDuringStartUp(String when) {
        log().info("exit code {} (stopped during start-up, {})", ExitCode.CLEAN.code(), when);
        return ExitCode.CLEAN.code();
    }

    private static Logger log() {
        return LoggerFactory.getLogger(Main.class);
    }





    /** The configuration the flags, the environment and the file give. */
    WorkerConfig config() {
        return flags.config(defaults);
    }

    /**
     * Every option's value and where it came from, then the Kafka client properties (a flag
     * wins over the file line with the same key). Call after parsing; values are not masked yet.
     */
    List<Setting> effectiveSettings() {
        CommandSpec spec = defaults.spec();
        ParseResult parsed = spec.commandLine().getParseResult();
        List<Setting> settings = new ArrayList<>();
        for (OptionSpec option : spec.options()) {
            String name = option.longestName();
            if (option.usageHelp() || option.versionHelp() || option.isMultiValue()) {
                continue;
            }
            Source source = parsed.hasMatchedOption(option) ? Source.FLAG : defaults.sourceUnlessFlag(name);
            Object value = option.getValue();
            settings.add(new Setting(LayeredDefaults.fileKey(name), value == null ? null : String.valueOf(value), source));
        }
        Map<String, Setting> kafka = new TreeMap<>();
        defaults.fileKafkaProperties().forEach((k, v) -> kafka.put(k, new Setting("kafka." + k, v, Source.FILE)));
        flags.kafkaProperties.forEach((k, v) -> kafka.put(k, new Setting("kafka." + k, v, Source.FLAG)));
        settings.addAll(kafka.values());
        return settings;
    }
}
