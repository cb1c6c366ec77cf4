package dev.orderpipeline.worker.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A worker properties file ({@code --config}): option values keyed by the long option name
 * without dashes ({@code order-deadline=5s}), and Kafka client properties as
 * {@code kafka.<property>=value}. Any other key is refused, so that a typo cannot silently
 * leave a setting at its default.
 *
 * @param path    where it was read from; named in every error
 * @param options option values by name without dashes, values stripped
 * @param kafka   Kafka client properties, the {@code kafka.} prefix removed
 */
public record ConfigFile(Path path, Map<String, String> options, Map<String, String> kafka) {

    /** The option and environment variable that name the file; the key of its errors. */
    public static final String KEY = "--config (WORKER_CONFIG)";

    static final String KAFKA_PREFIX = "kafka.";

    public ConfigFile {
        options = Map.copyOf(options);
        kafka = Map.copyOf(kafka);
    }

    /**
     * Reads {@code path} as a Java properties file in UTF-8.
     *
     * @param optionNames the keys allowed besides {@code kafka.*}: long option names without dashes
     * @throws ConfigException if the file cannot be read or holds an unknown key. The message names
     *                         the file and the key, never a value: values may be secrets.
     */
    public static ConfigFile load(Path path, Set<String> optionNames) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new ConfigException(KEY, "cannot read " + path + ": no such file");
        } catch (AccessDeniedException e) {
            throw new ConfigException(KEY, "cannot read " + path + ": permission denied");
        } catch (IOException | IllegalArgumentException e) {
            // IllegalArgumentException: a malformed unicode escape. Neither message quotes the content.
            throw new ConfigException(KEY, "cannot read " + path + ": " + e.getMessage());
        }
        // Sorted, so that the first unknown key reported is the same on every run.
        Map<String, String> options = new TreeMap<>();
        Map<String, String> kafka = new TreeMap<>();
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            String value = properties.getProperty(key).strip();
            if (key.startsWith(KAFKA_PREFIX) && key.length() > KAFKA_PREFIX.length()) {
                kafka.put(key.substring(KAFKA_PREFIX.length()), value);
            } else if (optionNames.contains(key)) {
                options.put(key, value);
            } else {
                throw new ConfigException(KEY, path + ": unknown key \"" + key + "\"; keys are long option names "
                        + "without dashes, e.g. order-deadline, or kafka.<client property>");
            }
        }
        return new ConfigFile(path, options, kafka);
    }
}
