package dev.orderpipeline.contract;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hand-written outcome encoder writes what data binding would: the same bytes for every
 * kind of outcome, and every property of the records (a property added to {@link OrderOutcome}
 * or {@link StepResult} but not to the encoder fails here). {@code SchemaTest} checks the
 * same outcomes against the JSON Schema, {@code OrderCodecTest} reads them back.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class OutcomeWriterTest {

    private static final ObjectMapper MAPPER = OrderCodec.newMapper();

    private final OrderCodec codec = new OrderCodec();

    @ParameterizedTest(name = "{argumentSetName}")
    @MethodSource("dev.orderpipeline.contract.OrderCodecTest#outcomes")
    void outcome_isWrittenByteForByteAsDataBindingWritesIt(OrderOutcome outcome) throws IOException {
        String got = new String(codec.encode(outcome), StandardCharsets.UTF_8);
        String want = MAPPER.writeValueAsString(outcome);
        if (!got.equals(want)) {
            fail("input: " + outcome + "\n  got: " + got + "\n want: " + want);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "quote \" and backslash \\", "controls \u0000 \u0001 \b \t \n \f \r \u001f \u007f",
            "latin \u00e9 \u00ff", "cjk \u4e2d\u6587 \u2028", "emoji \ud83d\ude00 end", "slash / and <tag>", ""})
    void strings_areEscapedAsDataBindingEscapesThem(String text) throws IOException {
        OrderOutcome outcome = new OrderOutcome(OrderOutcome.SCHEMA_VERSION, "ord-" + text, OrderStatus.FAILED,
                ErrorClass.INTERNAL, text, List.of(new StepResult(StepName.VENDOR, StepStatus.FAILED, 1, text)), 1,
                null, Instant.parse("2026-01-31T18:30:00.250Z"), Instant.parse("2026-01-31T18:30:00.251Z"), text);

        String got = new String(codec.encode(outcome), StandardCharsets.UTF_8);
        String want = MAPPER.writeValueAsString(outcome);

        if (!got.equals(want)) {
            fail("input: " + text + "\n  got: " + got + "\n want: " + want);
        }
    }

    @Test
    void everyPropertyOfTheRecords_isWritten() throws IOException {
        OrderOutcome full = new OrderOutcome(OrderOutcome.SCHEMA_VERSION, "ord-1", OrderStatus.FAILED,
                ErrorClass.PAYMENT_DECLINED, "declined \"quoted\" \u00e9\n",
                List.of(new StepResult(StepName.PAYMENT, StepStatus.FAILED, 900, "payment_declined: no")),
                2, Instant.parse("2026-01-31T18:30:00Z"), Instant.parse("2026-01-31T18:30:00.250Z"),
                Instant.parse("2026-01-31T18:30:00.251123Z"), "worker-1",
                List.of(Compensation.compensated(StepName.COURIER, "courier-7"),
                        Compensation.failed(StepName.VENDOR, ErrorClass.TIMEOUT, "retraction not answered")));

        JsonNode got = MAPPER.readTree(codec.encode(full));

        expectProperties(got, OrderOutcome.class);
        expectProperties(got.path("steps").path(0), StepResult.class);
        expectProperties(got.path("compensations").path(1), Compensation.class);
        String want = MAPPER.writeValueAsString(full);
        if (!new String(codec.encode(full), StandardCharsets.UTF_8).equals(want)) {
            fail("input: " + full + "\n  got: " + new String(codec.encode(full), StandardCharsets.UTF_8) + "\n want: " + want);
        }
        if (!codec.decodeOutcome(codec.encode(full)).equals(full)) {
            fail("input: " + full + "\n  got: " + codec.decodeOutcome(codec.encode(full)) + "\n want: the same outcome");
        }
    }

    private static void expectProperties(JsonNode node, Class<? extends Record> type) {
        Set<String> got = new TreeSet<>();
        node.fieldNames().forEachRemaining(got::add);
        Set<String> want = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        if (!got.equals(want)) {
            fail("input: " + node + "\n  got: properties " + got + "\n want: " + type.getSimpleName() + "'s " + want);
        }
    }
}
