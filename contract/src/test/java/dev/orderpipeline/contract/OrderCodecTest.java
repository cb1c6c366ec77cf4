package dev.orderpipeline.contract;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderpipeline.contract.DecodedOrder.Problem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class OrderCodecTest {

    /** Small, so the oversized case stays small; the base order is well under it. */
    static final int LIMIT = 1024;

    static final String ORDER_ID = "order-42";

    /** 2 x 950 + 1 x 300 = 2200 EUR. */
    static final OrderPlaced BASE = new OrderPlaced(
            OrderPlaced.SCHEMA_VERSION,
            ORDER_ID,
            "customer-7",
            Money.of(2200, "EUR"),
            List.of(new OrderItem("pizza-margherita", "Pizza Margherita", 2, Money.of(950, "EUR")),
                    new OrderItem("lemonade", "Lemonade", 1, Money.of(300, "EUR"))),
            "vendor-3",
            "north",
            Instant.parse("2026-01-31T18:30:00Z"),
            null);

    private static final ObjectMapper MAPPER = OrderCodec.newMapper();

    private final OrderCodec codec = new OrderCodec(LIMIT);

    /** What the JSON Schema alone says about a case's bytes; {@link SchemaTest} checks it. */
    enum SchemaVerdict {
        /** The schema rejects the document too. */
        REJECTS,
        /** Only the codec can tell: a rule the schema cannot express, or the record's size. */
        ACCEPTS,
        /** Not one JSON document (no value, not UTF-8, broken, duplicate keys, trailing data). */
        NOT_JSON
    }

    record Case(byte[] input, Problem problem, String reasonContains, Optional<String> orderId, SchemaVerdict schema) {
    }

    static Stream<Arguments> cases() {
        byte[] valid = json(BASE);
        return Stream.of(
                invalid("null value (tombstone)", null,
                        Problem.NULL_VALUE, "record value is null", null, SchemaVerdict.NOT_JSON),
                invalid("oversized, over the constructor's limit", order(o -> o.put("note", "x".repeat(LIMIT))),
                        Problem.OVERSIZED, "more than the limit of " + LIMIT, null, SchemaVerdict.ACCEPTS),
                invalid("invalid UTF-8 bytes", replace(order(o -> o.put("customerId", "@@")), "@@", new byte[] {(byte) 0xC3, 0x28}),
                        Problem.INVALID_UTF8, "not valid UTF-8: byte 0xC3 at offset", null, SchemaVerdict.NOT_JSON),
                invalid("empty value", new byte[0],
                        Problem.MALFORMED_JSON, "record value is empty", null, SchemaVerdict.NOT_JSON),
                invalid("broken JSON, cut off", utf8("{\"schemaVersion\":1,\"orderId\":\"order-42\","),
                        Problem.MALFORMED_JSON, "not valid JSON at line 1, column 41: Unexpected end-of-input", null,
                        SchemaVerdict.NOT_JSON),
                invalid("trailing garbage", concat(valid, utf8(" garbage")),
                        Problem.MALFORMED_JSON, "unexpected data after the end of the JSON object", null,
                        SchemaVerdict.NOT_JSON),
                invalid("two objects in one record", concat(valid, valid),
                        Problem.MALFORMED_JSON, "unexpected data after the end of the JSON object", null,
                        SchemaVerdict.NOT_JSON),
                invalid("JSON array instead of object", concat(utf8("["), valid, utf8("]")),
                        Problem.WRONG_TYPE, "an order must be a JSON object, got an array", null, SchemaVerdict.REJECTS),
                invalid("amount.minorUnits as string", order(o -> amount(o).put("minorUnits", "2200")),
                        Problem.WRONG_TYPE, "amount.minorUnits must be an integer, got the string \"2200\"", ORDER_ID,
                        SchemaVerdict.REJECTS),
                invalid("quantity as float", order(o -> item(o, 0).put("quantity", 2.5)),
                        Problem.WRONG_TYPE, "items[0].quantity must be an integer, got the number 2.5", ORDER_ID,
                        SchemaVerdict.REJECTS),
                // JSON Schema counts 2.0 as an integer; the codec, like the schema's description, does not.
                invalid("quantity as whole float 2.0", order(o -> item(o, 0).put("quantity", 2.0)),
                        Problem.WRONG_TYPE, "items[0].quantity must be an integer, got the number 2.0", ORDER_ID,
                        SchemaVerdict.ACCEPTS),
                invalid("orderId as number", order(o -> o.put("orderId", 42)),
                        Problem.WRONG_TYPE, "orderId must be a string, got the number 42", null, SchemaVerdict.REJECTS),
                invalid("quantity beyond int", order(o -> item(o, 0).put("quantity", 3_000_000_000L)),
                        Problem.WRONG_TYPE, "items[0].quantity must be an integer from -2147483648 to 2147483647", ORDER_ID,
                        SchemaVerdict.REJECTS),
                // Regression: a numeric createdAt was read as epoch seconds.
                invalid("createdAt as epoch number", order(o -> o.put("createdAt", 1_769_884_200L)),
                        Problem.WRONG_TYPE, "createdAt must be an ISO-8601 date-time string", ORDER_ID, SchemaVerdict.REJECTS),
                invalid("createdAt as digit string", order(o -> o.put("createdAt", "1769884200")),
                        Problem.WRONG_TYPE, "createdAt must be an ISO-8601 date-time string", ORDER_ID, SchemaVerdict.REJECTS),
                invalid("createdAt without offset", order(o -> o.put("createdAt", "2026-01-31T18:30:00")),
                        Problem.WRONG_TYPE, "got the string \"2026-01-31T18:30:00\"", ORDER_ID, SchemaVerdict.REJECTS),
                // Regression: the sender's value was quoted in full, a kilobytes-long reason.
                invalid("huge string quoted only in part", order(o -> amount(o).put("minorUnits", "9".repeat(600))),
                        Problem.WRONG_TYPE, "got the string \"" + "9".repeat(40) + "...(600 chars)\"", ORDER_ID,
                        SchemaVerdict.REJECTS),
                missing("schemaVersion", o -> o.remove("schemaVersion"), ORDER_ID),
                missing("orderId", o -> o.remove("orderId"), null),
                missing("customerId", o -> o.remove("customerId"), ORDER_ID),
                missing("amount", o -> o.remove("amount"), ORDER_ID),
                missing("amount.minorUnits", o -> amount(o).remove("minorUnits"), ORDER_ID),
                missing("amount.currency", o -> amount(o).remove("currency"), ORDER_ID),
                missing("items", o -> o.remove("items"), ORDER_ID),
                missing("items[1].sku", o -> item(o, 1).remove("sku"), ORDER_ID),
                missing("items[0].quantity", o -> item(o, 0).remove("quantity"), ORDER_ID),
                missing("items[0].unitPrice", o -> item(o, 0).remove("unitPrice"), ORDER_ID),
                missing("vendorId", o -> o.remove("vendorId"), ORDER_ID),
                missing("deliveryZone", o -> o.remove("deliveryZone"), ORDER_ID),
                missing("createdAt", o -> o.remove("createdAt"), ORDER_ID),
                invalid("customerId null", order(o -> o.putNull("customerId")),
                        Problem.MISSING_FIELD, "missing field customerId", ORDER_ID, SchemaVerdict.REJECTS),
                invalid("customerId blank", order(o -> o.put("customerId", "  ")),
                        Problem.MISSING_FIELD, "missing field customerId", ORDER_ID, SchemaVerdict.REJECTS),
                // Regression: a null line threw NullPointerException inside OrderPlaced's constructor.
                invalid("items with a null line", order(o -> ((ArrayNode) o.get("items")).insertNull(0)),
                        Problem.MISSING_FIELD, "missing field items[0]", ORDER_ID, SchemaVerdict.REJECTS),
                invalid("schemaVersion 2", order(o -> o.put("schemaVersion", 2)),
                        Problem.UNSUPPORTED_VERSION, "schemaVersion 2 is not supported", ORDER_ID, SchemaVerdict.REJECTS),
                invalid("negative amount", order(o -> amount(o).put("minorUnits", -2200)),
                        Problem.RULE_VIOLATION, "amount must be positive, got -2200", ORDER_ID, SchemaVerdict.REJECTS),
                invalid("zero amount", order(o -> amount(o).put("minorUnits", 0)),
                        Problem.RULE_VIOLATION, "amount must be positive, got 0", ORDER_ID, SchemaVerdict.REJECTS),
                invalid("unknown currency XYZ", order(o -> currency(o, "XYZ")),
                        Problem.RULE_VIOLATION, "amount.currency XYZ is not an ISO 4217 code", ORDER_ID, SchemaVerdict.ACCEPTS),
                invalid("lower-case currency", order(o -> currency(o, "eur")),
                        Problem.RULE_VIOLATION, "amount.currency eur must be upper case: EUR", ORDER_ID, SchemaVerdict.REJECTS),
                invalid("empty items", order(o -> o.putArray("items")),
                        Problem.RULE_VIOLATION, "items is empty", ORDER_ID, SchemaVerdict.REJECTS),
                invalid("item quantity 0", order(o -> item(o, 0).put("quantity", 0)),
                        Problem.RULE_VIOLATION, "items[0].quantity must be at least 1, got 0", ORDER_ID, SchemaVerdict.REJECTS),
                invalid("item currency differs from the order's", order(o -> ((ObjectNode) item(o, 1).get("unitPrice")).put("currency", "USD")),
                        Problem.RULE_VIOLATION, "items[1].unitPrice is in USD but the order is in EUR", ORDER_ID,
                        SchemaVerdict.ACCEPTS),
                invalid("items not summing to the amount", order(o -> amount(o).put("minorUnits", 2201)),
                        Problem.RULE_VIOLATION, "amount 2201 does not equal the sum of the items, 2200", ORDER_ID,
                        SchemaVerdict.ACCEPTS),
                invalid("duplicate key orderId", replace(valid, "\"orderId\":", utf8("\"orderId\":\"order-43\",\"orderId\":")),
                        Problem.MALFORMED_JSON, "Duplicate field 'orderId'", null, SchemaVerdict.NOT_JSON),
                // Regression: a duplicate key other than orderId left the sender without an outcome.
                invalid("duplicate key minorUnits", replace(valid, "\"minorUnits\":2200", utf8("\"minorUnits\":1,\"minorUnits\":2200")),
                        Problem.MALFORMED_JSON, "Duplicate field 'minorUnits'", ORDER_ID, SchemaVerdict.NOT_JSON),
                invalid("duplicate key amount", replace(valid, "\"amount\":",
                                utf8("\"amount\":{\"minorUnits\":1,\"currency\":\"EUR\"},\"amount\":")),
                        Problem.MALFORMED_JSON, "Duplicate field 'amount'", ORDER_ID, SchemaVerdict.NOT_JSON),
                invalid("duplicate key and trailing data", concat(replace(valid, "\"minorUnits\":2200",
                                utf8("\"minorUnits\":1,\"minorUnits\":2200")), utf8("{}")),
                        Problem.MALFORMED_JSON, "Duplicate field 'minorUnits'", null, SchemaVerdict.NOT_JSON),
                // Regression: UTF-16 without a BOM was guessed from its zero bytes, read and charged.
                invalid("UTF-16LE without a BOM", utf16(valid, StandardCharsets.UTF_16LE),
                        Problem.INVALID_UTF8, "NUL byte at offset 1: it looks like UTF-16 or UTF-32", null,
                        SchemaVerdict.NOT_JSON),
                invalid("UTF-16BE without a BOM", utf16(valid, StandardCharsets.UTF_16BE),
                        Problem.INVALID_UTF8, "NUL byte at offset 0: it looks like UTF-16 or UTF-32", null,
                        SchemaVerdict.NOT_JSON),
                invalid("UTF-16 with a BOM", utf16(valid, StandardCharsets.UTF_16),
                        Problem.INVALID_UTF8, "starts with a UTF-16BE byte order mark; orders are UTF-8 without one", null,
                        SchemaVerdict.NOT_JSON),
                invalid("UTF-16LE with a BOM", concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, utf16(valid, StandardCharsets.UTF_16LE)),
                        Problem.INVALID_UTF8, "starts with a UTF-16LE byte order mark", null, SchemaVerdict.NOT_JSON),
                invalid("UTF-8 with a BOM", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, valid),
                        Problem.INVALID_UTF8, "starts with a UTF-8 byte order mark", null, SchemaVerdict.NOT_JSON),
                // Regression: a five-digit year was read and repeated as an orderCreatedAt that is not RFC 3339.
                invalid("createdAt in year +10000", order(o -> o.put("createdAt", "+10000-01-01T00:00:00Z")),
                        Problem.WRONG_TYPE, "createdAt must be an ISO-8601 date-time string with an offset, years 0000 to 9999",
                        ORDER_ID, SchemaVerdict.REJECTS),
                invalid("createdAt in year 9999 whose offset moves it to 10000", order(o -> o.put("createdAt", "9999-12-31T23:00:00-05:00")),
                        Problem.WRONG_TYPE, "got the string \"9999-12-31T23:00:00-05:00\"", ORDER_ID, SchemaVerdict.ACCEPTS),
                // Regression: an id with a line break and terminal escapes went raw into the log.
                invalid("orderId with a line break and control characters", order(o -> {
                            o.put("orderId", "o-1\n2026-12-06T21:00:00.000+0000 [main] ERROR forged\u001b[31m\u0000");
                            o.remove("customerId");
                        }),
                        Problem.MISSING_FIELD, "missing field customerId",
                        "o-1\\n2026-12-06T21:00:00.000+0000 [main] ERROR forged\\u001b[31m\\u0000", SchemaVerdict.REJECTS),
                invalid("currency with control characters", order(o -> currency(o, "E\u001b[2JR")),
                        Problem.RULE_VIOLATION, "amount.currency E\\u001b[2JR is not an ISO 4217 code", ORDER_ID,
                        SchemaVerdict.REJECTS),
                invalid("unknown simulate value", order(o -> o.putObject("simulate").put("payment", "explode")),
                        Problem.WRONG_TYPE, "simulate.payment must be one of \"fail\", \"slow\", \"crash\", \"flaky\", got the string \"explode\"",
                        ORDER_ID, SchemaVerdict.REJECTS),
                invalid("simulate value in upper case", order(o -> o.putObject("simulate").put("vendor", "FAIL")),
                        Problem.WRONG_TYPE, "simulate.vendor must be one of", ORDER_ID, SchemaVerdict.REJECTS));
    }

    @ParameterizedTest(name = "{argumentSetName}")
    @MethodSource("cases")
    void invalidOrder_isRejectedWithItsProblemReasonAndOrderId(Case c) {
        DecodedOrder got = codec.decodeOrder(c.input());

        if (!(got instanceof DecodedOrder.Invalid invalid)) {
            fail(report(c.input(), got, "Invalid " + c.problem()));
            return;
        }
        check(invalid.problem() == c.problem(), c.input(), invalid, "problem " + c.problem());
        check(invalid.reason().contains(c.reasonContains()), c.input(), invalid, "reason containing \"" + c.reasonContains() + "\"");
        check(invalid.orderId().equals(c.orderId()), c.input(), invalid, "orderId " + c.orderId());
    }

    /** A reason goes into a Kafka header and in front of the sender: one short line, no Java internals. */
    @ParameterizedTest(name = "{argumentSetName}")
    @MethodSource("cases")
    void everyReason_isOneShortLine_withoutJavaInternals(Case c) {
        DecodedOrder got = codec.decodeOrder(c.input());
        if (!(got instanceof DecodedOrder.Invalid invalid)) {
            fail(report(c.input(), got, "Invalid"));
            return;
        }
        String reason = invalid.reason();
        check(reason.length() <= 300, c.input(), reason, "at most 300 characters, got " + reason.length());
        check(reason.chars().noneMatch(Character::isISOControl), c.input(), reason, "no line breaks or control characters");
        for (String leak : List.of("com.fasterxml", "dev.orderpipeline", "java.", "Exception", "line -1", "CoercionConfig",
                "DeserializationFeature", "Input length")) {
            check(!reason.contains(leak), c.input(), reason, "no \"" + leak + "\"");
        }
    }

    @Test
    void orderOfExactlyTheLimit_isRead_oneByteMore_isOversized() {
        int padding = LIMIT - json(BASE).length - ",\"note\":\"\"".length();
        byte[] atLimit = order(o -> o.put("note", "x".repeat(padding)));
        check(atLimit.length == LIMIT, atLimit, atLimit.length + " bytes", LIMIT + " bytes (test setup)");

        DecodedOrder got = codec.decodeOrder(atLimit);
        check(got.equals(new DecodedOrder.Valid(BASE)), atLimit, got, "Valid " + BASE);

        byte[] over = order(o -> o.put("note", "x".repeat(padding + 1)));
        DecodedOrder gotOver = codec.decodeOrder(over);
        check(gotOver instanceof DecodedOrder.Invalid i && i.problem() == Problem.OVERSIZED, over, gotOver, "Invalid OVERSIZED");
    }

    /** Regression: a 60,000-character id was refused, then echoed whole into the outcome and the log. */
    @Test
    void hugeOrderId_isRefused_andShownOnlyInPart_withItsLength() {
        byte[] input = order(o -> o.put("orderId", "x".repeat(60_000)));

        DecodedOrder got = new OrderCodec(256 * 1024).decodeOrder(input);

        String want = "x".repeat(SenderText.MAX_CHARS) + "...(60000 chars)";
        check(got instanceof DecodedOrder.Invalid i && i.problem() == Problem.RULE_VIOLATION
                && i.reason().equals("orderId is longer than 128 characters") && i.orderId().equals(Optional.of(want)),
                input, got, "Invalid RULE_VIOLATION with orderId " + want);
    }

    /** The years RFC 3339 can write are read, to the last nanosecond of 9999. */
    @Test
    void createdAtAtTheEdgesOfYears0000And9999_isRead() {
        for (String text : List.of("0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "0000-01-01T01:00:00+01:00",
                "9999-12-31T18:59:59-05:00")) {
            byte[] input = order(o -> o.put("createdAt", text));

            DecodedOrder got = codec.decodeOrder(input);

            check(got instanceof DecodedOrder.Valid, input, got, "Valid");
        }
    }

    static Stream<Simulation> simulations() {
        return Stream.of(null, Simulation.NONE, Simulation.payment(StepFault.FAIL), Simulation.vendor(StepFault.SLOW),
                Simulation.courier(StepFault.CRASH), new Simulation(StepFault.CRASH, StepFault.FAIL, StepFault.SLOW),
                Simulation.vendor(StepFault.FLAKY));
    }

    @ParameterizedTest(name = "simulate {0}")
    @MethodSource("simulations")
    void sampleOrder_encodedThenDecoded_isEqual(Simulation simulation) {
        for (int seed = 0; seed < 20; seed++) {
            OrderPlaced want = SampleOrders.order("sample-" + seed, Instant.parse("2026-01-31T18:30:00.123456789Z"),
                    simulation, new Random(seed));
            byte[] bytes = codec.encode(want);

            DecodedOrder got = codec.decodeOrder(bytes);

            check(got.equals(new DecodedOrder.Valid(want)), bytes, got, "Valid " + want);
        }
    }

    @Test
    void orderWithOffsetInCreatedAt_isReadAsTheSameInstant() {
        byte[] input = order(o -> o.put("createdAt", "2026-01-31T19:30:00+01:00"));

        DecodedOrder got = codec.decodeOrder(input);

        check(got.equals(new DecodedOrder.Valid(BASE)), input, got, "Valid with createdAt " + BASE.createdAt());
    }

    @Test
    void unknownProperties_atEveryLevel_areIgnored() {
        byte[] input = order(o -> {
            o.put("loyaltyPoints", 12);
            o.putObject("delivery").put("floor", 3).putArray("notes").add("ring twice");
            amount(o).put("tax", 350);
            item(o, 0).put("allergens", "gluten");
            ((ObjectNode) item(o, 1).get("unitPrice")).putNull("discount");
            o.putObject("simulate").put("payment", "fail").put("weather", "rain");
        });
        OrderPlaced want = new OrderPlaced(BASE.schemaVersion(), BASE.orderId(), BASE.customerId(), BASE.amount(),
                BASE.items(), BASE.vendorId(), BASE.deliveryZone(), BASE.createdAt(), Simulation.payment(StepFault.FAIL));

        DecodedOrder got = codec.decodeOrder(input);

        check(got.equals(new DecodedOrder.Valid(want)), input, got, "Valid " + want);
    }

    @Test
    void optionalItemName_mayBeLeftOut() {
        byte[] input = order(o -> item(o, 0).remove("name"));

        DecodedOrder got = codec.decodeOrder(input);

        check(got instanceof DecodedOrder.Valid v && v.order().items().getFirst().name() == null, input, got,
                "Valid with items[0].name null");
    }

    static Stream<Arguments> outcomes() {
        List<Arguments> outcomes = new ArrayList<>();
        outcomes.add(Arguments.argumentSet("succeeded", succeeded()));
        for (ErrorClass errorClass : ErrorClass.values()) {
            outcomes.add(Arguments.argumentSet("failed " + errorClass.code(), failed(errorClass)));
        }
        outcomes.add(Arguments.argumentSet("rejected", rejected()));
        outcomes.add(Arguments.argumentSet("retried and compensated", compensated()));
        return outcomes.stream();
    }

    @Test
    void outcome_withoutCompensations_leavesThemOut_andStepsCarryTheirAttempts() throws IOException {
        byte[] bytes = codec.encode(succeeded());

        JsonNode tree = MAPPER.readTree(bytes);

        check(!tree.has("compensations"), bytes, tree, "no compensations property");
        check(tree.path("steps").get(0).path("attempts").asInt() == 1, bytes, tree, "steps[0].attempts 1");
    }

    @Test
    void outcome_ofAnOlderWorker_withoutAttempts_readsAsOneAttempt() throws IOException {
        ObjectNode tree = MAPPER.valueToTree(succeeded());
        tree.withArray("steps").forEach(step -> ((ObjectNode) step).remove("attempts"));
        byte[] bytes = MAPPER.writeValueAsBytes(tree);

        OrderOutcome got = codec.decodeOutcome(bytes);

        check(got.steps().stream().allMatch(step -> step.attempts() == 1) && got.compensations().isEmpty(), bytes, got,
                "every step 1 attempt, no compensations");
    }

    @Test
    void outcome_withAFailedCompensationWithoutItsClass_isRefused() {
        ObjectNode tree = MAPPER.valueToTree(compensated());
        ((ObjectNode) tree.withArray("compensations").get(1)).remove("errorClass");
        byte[] bytes = tree.toString().getBytes(StandardCharsets.UTF_8);

        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> codec.decodeOutcome(bytes));

        check(e.getMessage().contains("failed compensation has an errorClass"), bytes, e.getMessage(),
                "a reason naming the missing errorClass");
    }

    @ParameterizedTest(name = "{argumentSetName}")
    @MethodSource("outcomes")
    void outcome_encodedThenDecoded_isEqual(OrderOutcome want) {
        byte[] bytes = codec.encode(want);

        OrderOutcome got = codec.decodeOutcome(bytes);

        check(got.equals(want), bytes, got, want);
    }

    @ParameterizedTest
    @EnumSource(ErrorClass.class)
    void outcome_writesErrorClassByItsWireCode(ErrorClass errorClass) throws IOException {
        byte[] bytes = codec.encode(failed(errorClass));

        String got = MAPPER.readTree(bytes).path("errorClass").asText();

        check(got.equals(errorClass.code()), bytes, got, errorClass.code());
    }

    static OrderOutcome succeeded() {
        return new OrderOutcome(OrderOutcome.SCHEMA_VERSION, ORDER_ID, OrderStatus.SUCCEEDED, null, null,
                List.of(new StepResult(StepName.PAYMENT, StepStatus.SUCCEEDED, 1_200, "auth-77"),
                        new StepResult(StepName.VENDOR, StepStatus.SUCCEEDED, 3_400, "accepted"),
                        new StepResult(StepName.COURIER, StepStatus.SUCCEEDED, 560, "courier-north-2")),
                1, BASE.createdAt(), Instant.parse("2026-01-31T18:30:00.250Z"), Instant.parse("2026-01-31T18:30:00.262417Z"),
                "worker-1");
    }

    static OrderOutcome failed(ErrorClass errorClass) {
        return new OrderOutcome(OrderOutcome.SCHEMA_VERSION, ORDER_ID, OrderStatus.FAILED, errorClass,
                errorClass.code() + " in the payment step",
                List.of(new StepResult(StepName.PAYMENT, StepStatus.FAILED, 900, errorClass.code() + ": declined"),
                        new StepResult(StepName.VENDOR, StepStatus.CANCELLED, 950, null),
                        new StepResult(StepName.COURIER, StepStatus.SUCCEEDED, 300, "courier-north-1")),
                1, BASE.createdAt(), Instant.parse("2026-01-31T18:30:00.250Z"), Instant.parse("2026-01-31T18:30:00.251Z"),
                "worker-1");
    }

    /** The vendor failed after three attempts; the payment was voided, the courier's void failed. */
    static OrderOutcome compensated() {
        return new OrderOutcome(OrderOutcome.SCHEMA_VERSION, ORDER_ID, OrderStatus.FAILED, ErrorClass.VENDOR_UNAVAILABLE,
                "vendor vendor-17 is not answering",
                List.of(new StepResult(StepName.PAYMENT, StepStatus.SUCCEEDED, 900, "auth-ord-1", 1),
                        new StepResult(StepName.VENDOR, StepStatus.FAILED, 250_000,
                                "vendor_unavailable: vendor vendor-17 is not answering", 3),
                        new StepResult(StepName.COURIER, StepStatus.SUCCEEDED, 300, "courier-north-1", 2)),
                3, BASE.createdAt(), Instant.parse("2026-01-31T18:30:00.250Z"), Instant.parse("2026-01-31T18:30:00.551Z"),
                "worker-1",
                List.of(Compensation.compensated(StepName.PAYMENT, "voided auth-ord-1"),
                        Compensation.failed(StepName.COURIER, ErrorClass.TIMEOUT, "compensation deadline of 2000 ms passed")));
    }

    static OrderOutcome rejected() {
        return new OrderOutcome(OrderOutcome.SCHEMA_VERSION, ORDER_ID, OrderStatus.REJECTED, ErrorClass.INVALID_ORDER,
                "missing field customerId", List.of(), 1, null, Instant.parse("2026-01-31T18:30:00.250Z"),
                Instant.parse("2026-01-31T18:30:00.250001Z"), "worker-2");
    }

    private static Arguments invalid(String name, byte[] input, Problem problem, String reasonContains, String orderId,
                                     SchemaVerdict schema) {
        return Arguments.argumentSet(name, new Case(input, problem, reasonContains, Optional.ofNullable(orderId), schema));
    }

    private static Arguments missing(String field, Consumer<ObjectNode> remove, String orderId) {
        return invalid("missing " + field, order(remove), Problem.MISSING_FIELD, "missing field " + field, orderId,
                SchemaVerdict.REJECTS);
    }

    /** The base order's JSON, changed by {@code change}. */
    static byte[] order(Consumer<ObjectNode> change) {
        ObjectNode tree = MAPPER.valueToTree(BASE);
        change.accept(tree);
        try {
            return MAPPER.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] json(OrderPlaced order) {
        return new OrderCodec().encode(order);
    }

    private static ObjectNode amount(ObjectNode order) {
        return (ObjectNode) order.get("amount");
    }

    private static ObjectNode item(ObjectNode order, int index) {
        return (ObjectNode) order.get("items").get(index);
    }

    private static void currency(ObjectNode order, String code) {
        amount(order).put("currency", code);
        order.get("items").forEach(item -> ((ObjectNode) item.get("unitPrice")).put("currency", code));
    }

    /** The UTF-8 {@code json} in another encoding. */
    private static byte[] utf16(byte[] json, java.nio.charset.Charset charset) {
        return new String(json, StandardCharsets.UTF_8).getBytes(charset);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** {@code in} with the first occurrence of {@code target} replaced. */
    private static byte[] replace(byte[] in, String target, byte[] replacement) {
        byte[] t = utf8(target);
        for (int i = 0; i + t.length <= in.length; i++) {
            if (Arrays.equals(in, i, i + t.length, t, 0, t.length)) {
                return concat(Arrays.copyOfRange(in, 0, i), replacement, Arrays.copyOfRange(in, i + t.length, in.length));
            }
        }
        throw new IllegalArgumentException(target + " not in " + show(in));
    }

    static void check(boolean ok, byte[] input, Object got, Object want) {
        if (!ok) {
            fail(report(input, got, want));
        }
    }

    static String report(byte[] input, Object got, Object want) {
        return "\ninput: " + show(input) + "\n  got: " + got + "\n want: " + want;
    }

    /** The input for a failure message: as text, cut short. */
    static String show(byte[] input) {
        if (input == null) {
            return "null";
        }
        String text = new String(input, StandardCharsets.UTF_8);
        return text.length() <= 300 ? text : text.substring(0, 300) + "... (" + input.length + " bytes)";
    }
}
