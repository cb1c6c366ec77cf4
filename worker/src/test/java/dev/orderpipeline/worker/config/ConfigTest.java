package dev.orderpipeline.worker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.worker.config.EffectiveConfig.Setting;
import dev.orderpipeline.worker.config.EffectiveConfig.Source;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The --config file format and how the effective configuration is shown. */
@Timeout(10)
class ConfigTest {

    private static final Set<String> OPTIONS = Set.of("order-deadline", "max-in-flight", "bootstrap-servers");

    @TempDir
    Path dir;

    @Test
    void file_readsOptionsByNameWithoutDashes_andKafkaPropertiesWithoutPrefix() throws IOException {
        Path file = write("""
                # comments and blank lines are fine

                order-deadline = 750ms \s
                max-in-flight=512
                kafka.security.protocol=SASL_SSL
                kafka.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required password="x";
                """);

        ConfigFile got = ConfigFile.load(file, OPTIONS);

        assertEquals(Map.of("order-deadline", "750ms", "max-in-flight", "512"), got.options());
        assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"x\";"), got.kafka());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            max-inflight=512           | unknown key "max-inflight"
            --order-deadline=5s        | unknown key "--order-deadline"
            kafka.=x                   | unknown key "kafka."
            kafka=security.protocol=x  | unknown key "kafka"
            password=hunter2           | unknown key "password"
            """)
    void file_withUnknownKey_isRefused_namingKeyAndFile_butNotTheValue(String line, String want) throws IOException {
        Path file = write("order-deadline=5s\n" + line + "\n");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFile.load(file, OPTIONS));

        assertTrue(e.getMessage().startsWith("--config (WORKER_CONFIG): " + file + ": " + want), () -> "got " + e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), () -> "value leaked: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), () -> "want one line, got " + e.getMessage());
    }

    @Test
    void file_thatDoesNotExist_isNamed() {
        Path missing = dir.resolve("nope.properties");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFile.load(missing, OPTIONS));

        assertEquals("--config (WORKER_CONFIG): cannot read " + missing + ": no such file", e.getMessage());
    }

    @Test
    void file_thatIsADirectory_isNamed() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFile.load(dir, OPTIONS));

        assertTrue(e.getMessage().startsWith("--config (WORKER_CONFIG): cannot read " + dir + ": "), () -> "got " + e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(textBlock = """
            sasl.jaas.config,                             true
            ssl.key.password,                             true
            ssl.keystore.password,                        true
            ssl.truststore.password,                      true
            ssl.keystore.key,                             true
            sasl.oauthbearer.token.endpoint.url,          true
            sasl.client.callback.handler.secret,          true
            basic.auth.credentials.source,                true
            SASL.JAAS.CONFIG,                             true
            key.serializer,                               false
            security.protocol,                            false
            sasl.mechanism,                               false
            ssl.endpoint.identification.algorithm,        false
            bootstrap-servers,                            false
            """)
    void secrets_areRecognisedByName(String key, boolean want) {
        assertEquals(want, EffectiveConfig.isSecret(key), () -> "isSecret(" + key + ")");
    }

    @Test
    void describe_showsEveryValueAndSource_onOneLine_withSecretsMasked() {
        String got = EffectiveConfig.describe(List.of(
                new Setting("order-deadline", "750ms", Source.FILE),
                new Setting("max-in-flight", "512", Source.ENV),
                new Setting("bootstrap-servers", null, Source.DEFAULT),
                new Setting("kafka.security.protocol", "SASL_SSL", Source.FLAG),
                new Setting("kafka.sasl.jaas.config", "x required password=\"s3cret\";", Source.FLAG)));

        assertEquals("order-deadline=750ms (file), max-in-flight=512 (env), bootstrap-servers= (default), "
                + "kafka.security.protocol=SASL_SSL (flag), kafka.sasl.jaas.config=**** (flag)", got);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            0 | 50ms | 1s    | 2s   | vendor_unavailable                  | off   | --retry-max-attempts (RETRY_MAX_ATTEMPTS): must be at least 1
            3 | soon | 1s    | 2s   | vendor_unavailable                  | off   | --retry-backoff (RETRY_BACKOFF): "soon" is not a duration
            3 | 0ms  | 1s    | 2s   | vendor_unavailable                  | off   | --retry-backoff (RETRY_BACKOFF): must be a positive duration
            3 | 50ms | 10ms  | 2s   | vendor_unavailable                  | off   | --retry-max-backoff (RETRY_MAX_BACKOFF): must not be shorter than --retry-backoff 50ms
            3 | 50ms | 1s    | -1s  | vendor_unavailable                  | off   | --retry-budget (RETRY_BUDGET): "-1s" is not a duration
            3 | 50ms | 1s    | 2s   | vendor_unavailable,payment_declined | off   | --retry-on (RETRY_ON): payment_declined is never retried
            3 | 50ms | 1s    | 2s   | internal                            | off   | --retry-on (RETRY_ON): internal is never retried
            3 | 50ms | 1s    | 2s   | vendor_down                         | off   | --retry-on (RETRY_ON): "vendor_down" is not an error class; retryable are vendor_unavailable, no_courier_available, timeout
            3 | 50ms | 1s    | 2s   | timeout                             | 0s    | --step-attempt-timeout (STEP_ATTEMPT_TIMEOUT): must be a positive duration
            """)
    void retryOptions_badValue_isRefused_namingItsKey(int attempts, String backoff, String max, String budget,
                                                      String retryOn, String attemptTimeout, String want) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> RetryOptions.policy(attempts, backoff, max, budget, retryOn, attemptTimeout));

        assertTrue(e.getMessage().startsWith(want), () -> "got " + e.getMessage() + ", want it to start with " + want);
    }

    @Test
    void retryOptions_readClassesAndOff() {
        var policy = RetryOptions.policy(5, "20ms", "500ms", "0s", " Timeout , no_courier_available ", "off");
        var none = RetryOptions.policy(1, "20ms", "20ms", "1s", "none", "250ms");

        assertEquals(Set.of(ErrorClass.TIMEOUT, ErrorClass.NO_COURIER_AVAILABLE), policy.retryOn());
        assertNull(policy.attemptTimeout());
        assertEquals(Duration.ZERO, policy.budget());
        assertEquals(Set.of(), none.retryOn());
        assertEquals(Duration.ofMillis(250), none.attemptTimeout());
    }

    private Path write(String content) throws IOException {
        return Files.writeString(dir.resolve("worker.properties"), content, StandardCharsets.UTF_8);
    }
}
