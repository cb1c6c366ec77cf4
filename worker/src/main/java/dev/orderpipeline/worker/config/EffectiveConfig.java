package dev.orderpipeline.worker.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The configuration the worker runs with, as logged once at start-up: every setting with its
 * value and where the value came from, secrets masked.
 */
public final class EffectiveConfig {

    /** What a masked value is shown as. */
    public static final String MASK = "****";

    /**
     * Keys whose values are never shown. Deliberately broad (it also hides, say,
     * {@code ssl.keystore.location}): showing a secret in a log is worse than hiding a path.
     * {@code ssl.key} catches {@code ssl.key.password} and the PEM {@code ssl.keystore.key}.
     */
    private static final Pattern SECRET = Pattern.compile("password|secret|jaas|token|credential|ssl\\.key");

    private EffectiveConfig() {
    }

    /** Where a setting's value came from, in the order they win: flag, environment, file, default. */
    public enum Source {
        FLAG, ENV, FILE, DEFAULT;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One setting.
     *
     * @param key    the long option name without dashes, or {@code kafka.<client property>}
     * @param value  as given, before masking; null when unset
     * @param source where it came from
     */
    public record Setting(String key, String value, Source source) {
        public Setting {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(source, "source");
        }
    }

    /** Whether the value of {@code key} is a secret: its name contains password, secret, jaas, token, credential or ssl.key. */
    public static boolean isSecret(String key) {
        return SECRET.matcher(key.toLowerCase(Locale.ROOT)).find();
    }

    /** {@code key=value (source)} for each setting, comma-separated on one line; secrets shown as {@value #MASK}. */
    public static String describe(List<Setting> settings) {
        return settings.stream()
                .map(s -> s.key() + "=" + (s.value() == null ? "" : isSecret(s.key()) ? MASK : s.value()) + " (" + s.source() + ")")
                .collect(Collectors.joining(", "));
    }
}
