package dev.orderpipeline.testkafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(10)
class BrokerSourceTest {

    @ParameterizedTest(name = "KAFKA_BOOTSTRAP_SERVERS=''{0}'', docker={1} -> {2}, docker asked {3}x")
    @CsvSource(nullValues = "NULL", value = {
            "host:9092,  true,  ENVIRONMENT,    0",
            "host:9092,  false, ENVIRONMENT,    0",
            "NULL,       true,  TESTCONTAINERS, 1",
            "'   ',      true,  TESTCONTAINERS, 1",
            "NULL,       false, IN_PROCESS,     1",
            "'',         false, IN_PROCESS,     1",
    })
    void choose_prefersEnvironmentThenDockerThenInProcess(String envValue, boolean docker,
                                                          BrokerSource want, int wantDockerChecks) {
        var env = new HashMap<String, String>();
        if (envValue != null) {
            env.put(BrokerSource.BOOTSTRAP_SERVERS_ENV, envValue);
        }
        var dockerChecks = new AtomicInteger();
        BooleanSupplier dockerAvailable = () -> {
            dockerChecks.incrementAndGet();
            return docker;
        };

        BrokerSource got = BrokerSource.choose(Map.copyOf(env)::get, dockerAvailable);

        assertEquals(want, got, "env=" + env + ", docker=" + docker);
        assertEquals(wantDockerChecks, dockerChecks.get(), "Docker checks for env=" + env);
    }

    @ParameterizedTest
    @CsvSource({"' host:9092 ', host:9092", "'a:1,b:2', 'a:1,b:2'"})
    void environment_usesTheVariableStripped(String envValue, String want) {
        var broker = BrokerSource.ENVIRONMENT.start(Map.of(BrokerSource.BOOTSTRAP_SERVERS_ENV, envValue)::get);

        assertEquals(want, broker.bootstrapServers(), "env value '" + envValue + "'");
    }
}
