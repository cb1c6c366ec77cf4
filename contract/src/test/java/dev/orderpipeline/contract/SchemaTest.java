package dev.orderpipeline.contract;

import static dev.orderpipeline.contract.OrderCodecTest.order;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JSON Schemas in {@code schemas/} describe exactly what {@link OrderCodec} writes and
 * accepts: everything the codec writes validates, and what the codec rejects the schema rejects
 * too, except for the rules the schema's description says it cannot express.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SchemaTest {

    static final String ORDER_PLACED = "order-placed.schema.json";
    static final String ORDER_OUTCOME = "order-outcome.schema.json";

    // JSON Schema 2020-12 makes "format" an annotation only; assert it, as the codec does.
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    private static final Schema ORDER_PLACED_SCHEMA = load(ORDER_PLACED);
    private static final Schema ORDER_OUTCOME_SCHEMA = load(ORDER_OUTCOME);
    private static final ObjectMapper MAPPER = OrderCodec.newMapper();

    private final OrderCodec codec = new OrderCodec();

    @ParameterizedTest(name = "simulate {0}")
    @MethodSource("dev.orderpipeline.contract.OrderCodecTest#simulations")
    void sampleOrders_writtenByTheCodec_validate(Simulation simulation) {
        for (int seed = 0; seed < 20; seed++) {
            byte[] order = codec.encode(SampleOrders.order("sample-" + seed, Instant.parse("2026-01-31T18:30:00.5Z"),
                    simulation, new Random(seed)));

            expectValid(ORDER_PLACED_SCHEMA, order);
        }
    }

    @ParameterizedTest(name = "{argumentSetName}")
    @MethodSource("dev.orderpipeline.contract.OrderCodecTest#outcomes")
    void outcomes_writtenByTheCodec_validate(OrderOutcome outcome) {
        expectValid(ORDER_OUTCOME_SCHEMA, codec.encode(outcome));
    }

    @Test
    void unknownProperties_atEveryLevel_areAllowed() {
        byte[] order = order(o -> {
            o.put("loyaltyPoints", 12);
            ((ObjectNode) o.get("amount")).put("tax", 350);
            ((ObjectNode) o.get("items").get(0)).put("allergens", "gluten");
            o.putObject("simulate").put("payment", "fail").put("weather", "rain");
        });
        expectValid(ORDER_PLACED_SCHEMA, order);

        ObjectNode outcome = MAPPER.valueToTree(OrderCodecTest.succeeded());
        outcome.put("region", "eu-west");
        ((ObjectNode) outcome.get("steps").get(0)).put("retries", 0);
        expectValid(ORDER_OUTCOME_SCHEMA, bytes(outcome));
    }

    /** The codec reads null as absent, so the schema allows null wherever a property is optional. */
    @Test
    void optionalProperties_mayBeNull() {
        byte[] order = order(o -> {
            o.putNull("simulate");
            ((ObjectNode) o.get("items").get(0)).putNull("name");
        });
        expectValid(ORDER_PLACED_SCHEMA, order);
        expectValid(ORDER_PLACED_SCHEMA, order(o -> o.putObject("simulate").putNull("payment")));

        ObjectNode outcome = MAPPER.valueToTree(OrderCodecTest.succeeded());
        outcome.putNull("errorClass").putNull("errorMessage").putNull("orderCreatedAt");
        expectValid(ORDER_OUTCOME_SCHEMA, bytes(outcome));
    }

    static Stream<Arguments> invalidDocuments() {
        OrderOutcome failed = OrderCodecTest.failed(ErrorClass.TIMEOUT);
        return Stream.of(
                invalid("order missing orderId", ORDER_PLACED, order(o -> o.remove("orderId")), "orderId"),
                invalid("order amount as string", ORDER_PLACED, order(o -> o.put("amount", "22.00")), "amount"),
                invalid("order minorUnits as decimal", ORDER_PLACED,
                        order(o -> ((ObjectNode) o.get("amount")).put("minorUnits", 22.5)), "minorUnits"),
                invalid("order currency of four letters", ORDER_PLACED,
                        order(o -> ((ObjectNode) o.get("amount")).put("currency", "EURO")), "currency"),
                invalid("order schemaVersion 2", ORDER_PLACED, order(o -> o.put("schemaVersion", 2)), "schemaVersion"),
                invalid("order createdAt not a date-time", ORDER_PLACED, order(o -> o.put("createdAt", "yesterday")),
                        "createdAt"),
                invalid("order unknown simulate value", ORDER_PLACED,
                        order(o -> o.putObject("simulate").put("courier", "explode")), "courier"),
                invalid("outcome unknown status", ORDER_OUTCOME, outcome(failed, o -> o.put("status", "done")), "status"),
                invalid("outcome unknown errorClass", ORDER_OUTCOME,
                        outcome(failed, o -> o.put("errorClass", "PAYMENT_DECLINED")), "errorClass"),
                invalid("outcome unknown step status", ORDER_OUTCOME,
                        outcome(failed, o -> ((ObjectNode) o.get("steps").get(1)).put("status", "skipped")), "status"),
                invalid("outcome missing completedAt", ORDER_OUTCOME, outcome(failed, o -> o.remove("completedAt")),
                        "completedAt"),
                invalid("outcome failed without errorClass", ORDER_OUTCOME, outcome(failed, o -> o.remove("errorClass")),
                        "errorClass"),
                invalid("outcome succeeded with an errorClass", ORDER_OUTCOME,
                        outcome(OrderCodecTest.succeeded(), o -> o.put("errorClass", "timeout")), "errorClass"),
                invalid("outcome rejected with steps", ORDER_OUTCOME,
                        outcome(OrderCodecTest.rejected(), o -> o.set("steps", MAPPER.valueToTree(failed.steps()))),
                        "steps"),
                invalid("outcome step with 0 attempts", ORDER_OUTCOME,
                        outcome(failed, o -> ((ObjectNode) o.get("steps").get(0)).put("attempts", 0)), "attempts"),
                invalid("outcome failed compensation without errorClass", ORDER_OUTCOME,
                        outcome(OrderCodecTest.compensated(),
                                o -> ((ObjectNode) o.withArray("compensations").get(1)).remove("errorClass")), "errorClass"),
                invalid("outcome compensation with unknown status", ORDER_OUTCOME,
                        outcome(OrderCodecTest.compensated(),
                                o -> ((ObjectNode) o.withArray("compensations").get(0)).put("status", "undone")), "status"),
                invalid("outcome rejected as timeout", ORDER_OUTCOME,
                        outcome(OrderCodecTest.rejected(), o -> o.put("errorClass", "timeout")), "errorClass"));
    }

    @ParameterizedTest(name = "{argumentSetName}")
    @MethodSource("invalidDocuments")
    void handWrittenInvalidDocument_isRejected_atTheBadProperty(String schemaFile, byte[] document, String property) {
        List<Error> errors = validate(schemaFile.equals(ORDER_PLACED) ? ORDER_PLACED_SCHEMA : ORDER_OUTCOME_SCHEMA, document);

        boolean named = errors.stream().anyMatch(e -> e.toString().contains(property));
        OrderCodecTest.check(named, document, errors, "an error at " + property);
    }

    /** The codec's cases that are one JSON document, so that the schema can judge them too. */
    static Stream<Arguments> codecCasesThatAreJson() {
        return OrderCodecTest.cases()
                .filter(arguments -> ((OrderCodecTest.Case) arguments.get()[0]).schema() != OrderCodecTest.SchemaVerdict.NOT_JSON);
    }

    /** Both directions of "exactly matching": each codec case, judged by the schema alone. */
    @ParameterizedTest(name = "{argumentSetName}")
    @MethodSource("codecCasesThatAreJson")
    void codecCase_getsTheSchemasVerdict(OrderCodecTest.Case c) {
        List<Error> errors = validate(ORDER_PLACED_SCHEMA, c.input());

        switch (c.schema()) {
            case REJECTS -> OrderCodecTest.check(!errors.isEmpty(), c.input(), "valid", "rejected, like the codec's " + c.problem());
            case ACCEPTS -> OrderCodecTest.check(errors.isEmpty(), c.input(), errors,
                    "valid: only the codec can tell " + c.problem());
            case NOT_JSON -> fail("not a JSON document: " + OrderCodecTest.show(c.input()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {ORDER_PLACED, ORDER_OUTCOME})
    void schemaFile_isValidDraft2020_12(String file) {
        Schema metaSchema = REGISTRY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        byte[] schema = resource(file);

        expectValid(metaSchema, schema);
    }

    @ParameterizedTest
    @ValueSource(strings = {ORDER_PLACED, ORDER_OUTCOME})
    void everyProperty_hasADescription(String file) throws IOException {
        List<String> undocumented = new ArrayList<>();
        collectUndocumented(MAPPER.readTree(resource(file)), "", undocumented);

        OrderCodecTest.check(undocumented.isEmpty(), file.getBytes(StandardCharsets.UTF_8), undocumented, "none undocumented");
    }

    @Test
    void schemaEnums_listExactlyTheJavaWireNames() throws IOException {
        JsonNode placed = MAPPER.readTree(resource(ORDER_PLACED));
        JsonNode outcome = MAPPER.readTree(resource(ORDER_OUTCOME));
        Map<String, List<Object>> checks = Map.of(
                "order-placed $defs/stepFault", List.of(placed.at("/$defs/stepFault/enum"), StepFault.class),
                "order-outcome status", List.of(outcome.at("/properties/status/enum"), OrderStatus.class),
                "order-outcome errorClass", List.of(outcome.at("/properties/errorClass/enum"), ErrorClass.class),
                "order-outcome steps step", List.of(outcome.at("/$defs/stepResult/properties/step/enum"), StepName.class),
                "order-outcome steps status", List.of(outcome.at("/$defs/stepResult/properties/status/enum"), StepStatus.class),
                "order-outcome compensations step", List.of(outcome.at("/$defs/compensation/properties/step/enum"), StepName.class),
                "order-outcome compensations status",
                List.of(outcome.at("/$defs/compensation/properties/status/enum"), CompensationStatus.class),
                "order-outcome compensations errorClass",
                List.of(outcome.at("/$defs/compensation/properties/errorClass/enum"), ErrorClass.class));
        for (Map.Entry<String, List<Object>> check : checks.entrySet()) {
            Set<String> got = new TreeSet<>();
            ((JsonNode) check.getValue().get(0)).forEach(value -> {
                if (!value.isNull()) {
                    got.add(value.asText());
                }
            });
            Set<String> want = Arrays.stream(((Class<?>) check.getValue().get(1)).getEnumConstants())
                    .map(constant -> MAPPER.valueToTree(constant).asText())
                    .collect(Collectors.toCollection(TreeSet::new));
            OrderCodecTest.check(got.equals(want), check.getKey().getBytes(StandardCharsets.UTF_8), got, want);
        }
    }

    private static void collectUndocumented(JsonNode schema, String where, List<String> undocumented) {
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            String path = where + "/" + property.getKey();
            if (!property.getValue().hasNonNull("description")) {
                undocumented.add(path);
            }
            collectUndocumented(property.getValue(), path, undocumented);
        }
        for (Map.Entry<String, JsonNode> def : schema.path("$defs").properties()) {
            collectUndocumented(def.getValue(), where + "/$defs/" + def.getKey(), undocumented);
        }
    }

    private static Arguments invalid(String name, String schemaFile, byte[] document, String property) {
        return Arguments.argumentSet(name, schemaFile, document, property);
    }

    private static byte[] outcome(OrderOutcome outcome, Consumer<ObjectNode> change) {
        ObjectNode tree = MAPPER.valueToTree(outcome);
        change.accept(tree);
        return bytes(tree);
    }

    private static void expectValid(Schema schema, byte[] document) {
        List<Error> errors = validate(schema, document);
        OrderCodecTest.check(errors.isEmpty(), document, errors, "no errors");
    }

    private static List<Error> validate(Schema schema, byte[] document) {
        return schema.validate(new String(document, StandardCharsets.UTF_8), InputFormat.JSON);
    }

    private static Schema load(String file) {
        try (InputStream in = SchemaTest.class.getResourceAsStream("/schemas/" + file)) {
            if (in == null) {
                throw new IllegalStateException("schemas/" + file + " is not on the classpath");
            }
            return REGISTRY.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] resource(String file) {
        try (InputStream in = SchemaTest.class.getResourceAsStream("/schemas/" + file)) {
            if (in == null) {
                throw new IllegalStateException("schemas/" + file + " is not on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(JsonNode tree) {
        try {
            return MAPPER.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
