package dev.orderpipeline.worker.app;

import dev.orderpipeline.worker.config.ConfigException;
import dev.orderpipeline.worker.config.ConfigFile;
import dev.orderpipeline.worker.config.EffectiveConfig.Source;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The layers under the command line: an option not given as a flag takes its environment
 * variable, else its line in the {@code --config} file, else the default in its annotation.
 *
 * <p>picocli asks this provider only for options the command line did not match, and only after
 * reading the whole command line, so {@code --config} given as a flag is already known here.
 * The environment is passed in, so that tests can set it.
 *
 * <p>Not thread-safe: used by the thread that parses the command line and then runs {@link Main#call()}.
 */
final class LayeredDefaults implements IDefaultValueProvider {

    static final String CONFIG_OPTION = "--config";

    /** Options whose environment variable is not the option name in upper snake case. */
    private static final Map<String, String> ENV_EXCEPTIONS = Map.of(
            "--bootstrap-servers", "KAFKA_BOOTSTRAP_SERVERS",
            CONFIG_OPTION, "WORKER_CONFIG");

    /** Options that cannot be set from the environment (development switches, the repeatable map). */
    private static final Set<String> NO_ENV = Set.of("--embedded-broker", "--embedded-broker-port", "--kafka");

    private final Map<String, String> env;
    private final CommandSpec spec;
    /** Which layer gave each option's value; an option missing here was a flag or its annotation default. */
    private final Map<String, Source> sources = new HashMap<>();
    private ConfigFile file;
    private ConfigException fileProblem;
    private boolean fileRead;

    LayeredDefaults(Map<String, String> env, CommandSpec spec) {
        this.env = Map.copyOf(env);
        this.spec = spec;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
            return null;
        }
        String name = option.longestName();
        String envName = envName(name);
        String fromEnv = envName == null ? null : env.get(envName);
        if (fromEnv != null && !fromEnv.isBlank()) {
            sources.put(name, Source.ENV);
            return fromEnv;
        }
        if (!name.equals(CONFIG_OPTION)) {
            // A file that cannot be read is reported by fileOrNull() when the configuration is built;
            // throwing here would make picocli quote the whole command line, secrets included.
            ConfigFile loaded = fileOrNull();
            String fromFile = loaded == null ? null : loaded.options().get(fileKey(name));
            if (fromFile != null) {
                sources.put(name, Source.FILE);
                return fromFile;
            }
        }
        if (name.equals("--worker-id")) {
            sources.put(name, Source.DEFAULT);
            return defaultWorkerId();
        }
        sources.remove(name);
        return null;
    }

    CommandSpec spec() {
        return spec;
    }

    /** Where the value of the option came from, assuming it was not given as a flag. */
    Source sourceUnlessFlag(String option) {
        return sources.getOrDefault(option, Source.DEFAULT);
    }

    /**
     * The Kafka client properties of the {@code --config} file; empty without a file.
     *
     * @throws ConfigException if the file cannot be read or has an unknown key
     */
    Map<String, String> fileKafkaProperties() {
        ConfigFile loaded = fileOrNull();
        if (fileProblem != null) {
            throw fileProblem;
        }
        return loaded == null ? Map.of() : loaded.kafka();
    }

    /** The environment variable of an option, or null if it has none. */
    static String envName(String option) {
        if (NO_ENV.contains(option)) {
            return null;
        }
        return ENV_EXCEPTIONS.getOrDefault(option, fileKey(option).toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }

    /** The key of an option in the {@code --config} file: its long name without the dashes. */
    static String fileKey(String option) {
        return option.substring(2);
    }

    private ConfigFile fileOrNull() {
        if (!fileRead) {
            fileRead = true;
            String path = spec.findOption(CONFIG_OPTION).getValue();
            if (path == null) {
                path = env.get(envName(CONFIG_OPTION));
            }
            if (path != null && !path.isBlank()) {
                try {
                    file = ConfigFile.load(Path.of(path), fileKeys());
                } catch (ConfigException e) {
                    fileProblem = e;
                } catch (InvalidPathException e) {
                    fileProblem = new ConfigException(ConfigFile.KEY, "\"" + path + "\" is not a path: " + e.getReason());
                }
            }
        }
        return file;
    }

    private Set<String> fileKeys() {
        return spec.options().stream()
                .filter(o -> !o.usageHelp() && !o.versionHelp())
                .map(OptionSpec::longestName)
                .filter(n -> !n.equals(CONFIG_OPTION) && !n.equals("--kafka"))
                .map(LayeredDefaults::fileKey)
                .collect(Collectors.toSet());
    }

    /** host-pid, for an instance not given a {@code --worker-id}. */
    String defaultWorkerId() {
        String host = env.getOrDefault("HOSTNAME", "worker");
        return (host + "-" + ProcessHandle.current().pid()).replaceAll("[^A-Za-z0-9._-]", "-");
    }
}
