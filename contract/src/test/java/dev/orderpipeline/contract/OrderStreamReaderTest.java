package dev.orderpipeline.contract;

import static dev.orderpipeline.contract.OrderCodecTest.check;
import static dev.orderpipeline.contract.OrderCodecTest.order;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The stream reader is only a shortcut: every record decodes to exactly what data binding
 * makes of it, valid or not, with the same reason; on malformed records the reader's own verdict
 * (where it gives one) is data binding's, and both reject them.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class OrderStreamReaderTest {

    private static final ObjectMapper MAPPER = OrderCodec.newMapper();

    private final OrderCodec codec = new OrderCodec(OrderCodecTest.LIMIT);
    private final OrderStreamReader reader = new OrderStreamReader(MAPPER.getFactory());
    private static final OrderRules RULES = new OrderRules();
    /** The problems decodeOrder finds in the bytes, before any JSON reading. */
    private static final Set<DecodedOrder.Problem> BYTE_CHECKS = EnumSet.of(
            DecodedOrder.Problem.NULL_VALUE, DecodedOrder.Problem.OVERSIZED, DecodedOrder.Problem.INVALID_UTF8);

    /** Valid orders of every simulation, as the producer writes them: the stream reader must take these. */
    static Stream<Arguments> samples() {
        List<Arguments> samples = new ArrayList<>();
        OrderCodec codec = new OrderCodec();
        OrderCodecTest.simulations().forEach(simulation -> {
            for (int seed = 0; seed < 20; seed++) {
                OrderPlaced order = SampleOrders.order("sample-" + seed,
                        Instant.parse("2026-01-31T18:30:00.123456789Z").plusSeconds(seed * 977L), simulation, new Random(seed));
                samples.add(Arguments.argumentSet("simulate " + simulation + " seed " + seed, (Object) codec.encode(order)));
            }
        });
        return samples.stream();
    }

    /** Shapes the stream reader may take or leave to data binding; either way the result must agree. */
    static Stream<Arguments> unusual() {
        return Stream.of(
                Arguments.argumentSet("unknown fields, nested", (Object) order(o -> {
                    o.put("note", "leave at the door");
                    o.putObject("extra").putArray("list").add(1).addObject().put("a", "b");
                    ((ObjectNode) o.get("amount")).put("tax", 12);
                    ((ObjectNode) o.get("items").get(0)).putNull("comment");
                })),
                Arguments.argumentSet("createdAt with an offset", (Object) order(o -> o.put("createdAt", "2026-01-31T19:30:00+01:00"))),
                Arguments.argumentSet("createdAt lower-case z", (Object) order(o -> o.put("createdAt", "2026-01-31t18:30:00z"))),
                Arguments.argumentSet("createdAt February 30th", (Object) order(o -> o.put("createdAt", "2026-02-30T18:30:00Z"))),
                Arguments.argumentSet("createdAt with 10 fraction digits", (Object) order(o -> o.put("createdAt", "2026-01-31T18:30:00.1234567891Z"))),
                Arguments.argumentSet("createdAt null", (Object) order(o -> o.putNull("createdAt"))),
                Arguments.argumentSet("simulate null", (Object) order(o -> o.putNull("simulate"))),
                Arguments.argumentSet("simulate empty", (Object) order(o -> o.putObject("simulate"))),
                Arguments.argumentSet("simulate payment null", (Object) order(o -> o.putObject("simulate").putNull("payment"))),
                Arguments.argumentSet("simulate as string", (Object) order(o -> o.put("simulate", "fail"))),
                Arguments.argumentSet("simulate payment as number", (Object) order(o -> o.putObject("simulate").put("payment", 0))),
                Arguments.argumentSet("simulate payment FAIL", (Object) order(o -> o.putObject("simulate").put("payment", "FAIL"))),
                Arguments.argumentSet("simulate payment empty string", (Object) order(o -> o.putObject("simulate").put("payment", ""))),
                Arguments.argumentSet("simulate with an unknown step", (Object) order(o -> o.putObject("simulate").put("kitchen", "fail"))),
                Arguments.argumentSet("schemaVersion 1.0", (Object) order(o -> o.put("schemaVersion", 1.0))),
                Arguments.argumentSet("schemaVersion true", (Object) order(o -> o.put("schemaVersion", true))),
                Arguments.argumentSet("schemaVersion \"1\"", (Object) order(o -> o.put("schemaVersion", "1"))),
                Arguments.argumentSet("schemaVersion null", (Object) order(o -> o.putNull("schemaVersion"))),
                Arguments.argumentSet("quantity null", (Object) order(o -> ((ObjectNode) o.get("items").get(0)).putNull("quantity"))),
                Arguments.argumentSet("name null", (Object) order(o -> ((ObjectNode) o.get("items").get(0)).putNull("name"))),
                Arguments.argumentSet("name as number", (Object) order(o -> ((ObjectNode) o.get("items").get(0)).put("name", 7))),
                Arguments.argumentSet("item as array", (Object) order(o -> o.withArray("items").insertArray(0))),
                Arguments.argumentSet("items as object", (Object) order(o -> o.putObject("items"))),
                Arguments.argumentSet("amount as number", (Object) order(o -> o.put("amount", 2200))),
                Arguments.argumentSet("minorUnits beyond int, within long", (Object) order(o -> ((ObjectNode) o.get("amount")).put("minorUnits", 3_000_000_000L))),
                Arguments.argumentSet("minorUnits beyond long", (Object) utf8(new String(order(o -> { }), StandardCharsets.UTF_8)
                        .replace("\"minorUnits\":2200", "\"minorUnits\":92233720368547758080"))),
                Arguments.argumentSet("minorUnits -0", (Object) utf8(new String(order(o -> { }), StandardCharsets.UTF_8)
                        .replace("\"minorUnits\":2200", "\"minorUnits\":-0"))),
                Arguments.argumentSet("minorUnits with exponent", (Object) utf8(new String(order(o -> { }), StandardCharsets.UTF_8)
                        .replace("\"minorUnits\":2200", "\"minorUnits\":22e2"))),
                Arguments.argumentSet("escapes and non-ASCII", (Object) order(o -> {
                    o.put("customerId", "cust\u00f6mer \"7\"\n\\");
                    ((ObjectNode) o.get("items").get(0)).put("name", "Pizza \u2603 \ud83c\udf55");
                })),
                Arguments.argumentSet("pretty-printed, keys reordered", (Object) pretty(order(o -> {
                    ObjectNode copy = o.deepCopy();
                    o.removeAll();
                    List<String> names = new ArrayList<>();
                    copy.fieldNames().forEachRemaining(names::add);
                    names.reversed().forEach(name -> o.set(name, copy.get(name)));
                }))),
                Arguments.argumentSet("byte order mark", (Object) concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, order(o -> { }))),
                Arguments.argumentSet("JSON null", (Object) utf8("null")),
                Arguments.argumentSet("JSON string", (Object) utf8("\"order\"")),
                Arguments.argumentSet("empty object", (Object) utf8("{}")),
                Arguments.argumentSet("trailing whitespace", (Object) concat(order(o -> { }), utf8(" \n\t"))),
                Arguments.argumentSet("trailing comma", (Object) utf8(new String(order(o -> { }), StandardCharsets.UTF_8)
                        .replace("\"north\"", "\"north\","))),
                Arguments.argumentSet("duplicate unknown key", (Object) utf8(new String(order(o -> { }), StandardCharsets.UTF_8)
                        .replace("{\"schemaVersion\"", "{\"note\":1,\"note\":2,\"schemaVersion\""))),
                Arguments.argumentSet("duplicate key inside an item", (Object) utf8(new String(order(o -> { }), StandardCharsets.UTF_8)
                        .replace("\"sku\":", "\"quantity\":2,\"sku\":"))),
                Arguments.argumentSet("comment", (Object) utf8("/* hi */" + new String(order(o -> { }), StandardCharsets.UTF_8))));
    }

    static Stream<Arguments> everyInput() {
        return Stream.of(OrderCodecTest.cases(), samples(), unusual()).flatMap(s -> s);
    }

    @ParameterizedTest(name = "{argumentSetName}")
    @MethodSource("everyInput")
    void decodeOrder_equalsDataBinding(Object input) {
        byte[] bytes = input instanceof OrderCodecTest.Case c ? c.input() : (byte[]) input;

        DecodedOrder got = codec.decodeOrder(bytes);

        DecodedOrder want = codec.decodeOrderWithDataBinding(bytes);
        check(got.equals(want), bytes, got, want);
    }

    /** Stronger than the decoded result: whatever the reader takes, data binding reads as the same record. */
    @ParameterizedTest(name = "{argumentSetName}")
    @MethodSource("everyInput")
    void whatTheReaderTakes_dataBindingReadsTheSame(Object input) {
        byte[] bytes = input instanceof OrderCodecTest.Case c ? c.input() : (byte[]) input;
        if (bytes == null) {
            return; // decodeOrder answers a null value before any reader
        }

        OrderPlaced got = reader.read(bytes);

        if (got != null) {
            OrderPlaced want = bind(bytes);
            check(got.equals(want), bytes, got, want);
        }
    }

    /**
     * Every malformed or rule-breaking case of the codec's table is rejected both ways with the
     * case's problem, and the hand-written reader never lets one through: it either leaves the
     * record to data binding or reads it and its verdict (the rules on what it read) is data
     * binding's problem and reason.
     */
    @ParameterizedTest(name = "{argumentSetName}")
    @MethodSource("dev.orderpipeline.contract.OrderCodecTest#cases")
    void malformedRecords_areRejectedByTheReaderAndByDataBinding_forTheSameProblem(OrderCodecTest.Case c) {
        DecodedOrder bound = codec.decodeOrderWithDataBinding(c.input());
        DecodedOrder decoded = codec.decodeOrder(c.input());

        check(bound instanceof DecodedOrder.Invalid i && i.problem() == c.problem() && i.reason().contains(c.reasonContains()),
                c.input(), bound, "data binding rejects it: " + c.problem() + " " + c.reasonContains());
        check(decoded instanceof DecodedOrder.Invalid i && i.problem() == c.problem() && i.reason().contains(c.reasonContains()),
                c.input(), decoded, "decodeOrder rejects it: " + c.problem() + " " + c.reasonContains());
        DecodedOrder readers = readersVerdict(c.input());
        check(readers == null || sameVerdict(readers, bound), c.input(), readers,
                "left to data binding, or data binding's verdict " + bound);
    }

    /** The unusual shapes too: where the reader gives a verdict of its own, it is data binding's. */
    @ParameterizedTest(name = "{argumentSetName}")
    @MethodSource("unusual")
    void unusualShapes_theReadersOwnVerdict_isDataBindings(byte[] input) {
        DecodedOrder readers = readersVerdict(input);
        DecodedOrder bound = codec.decodeOrderWithDataBinding(input);

        check(readers == null || sameVerdict(readers, bound), input, readers, "left to data binding, or " + bound);
    }

    /**
     * Positive control for the two tests above: a plain-shaped order that breaks a rule is read by
     * the hand-written reader (it does not defer), and its verdict is data binding's, reason and all.
     */
    @Test
    void plainOrderBreakingARule_isJudgedByTheReader_asDataBindingJudgesIt() {
        byte[] negative = order(o -> ((ObjectNode) o.get("amount")).put("minorUnits", -2200));

        DecodedOrder readers = readersVerdict(negative);
        DecodedOrder bound = codec.decodeOrderWithDataBinding(negative);

        check(readers instanceof DecodedOrder.Invalid r && r.problem() == DecodedOrder.Problem.RULE_VIOLATION
                        && r.reason().equals("amount must be positive, got -2200"),
                negative, readers, "the reader's own RULE_VIOLATION \"amount must be positive, got -2200\"");
        check(sameVerdict(readers, bound), negative, readers, bound);
    }

    /**
     * Why the byte checks must stay in front of the reader: on its own it reads UTF-16 and a
     * byte order mark (Jackson detects the encoding), which the contract rejects.
     */
    @Test
    void readerAlone_readsUtf16AndAByteOrderMark_soDecodeOrdersByteChecksComeFirst() {
        byte[] utf16 = new String(order(o -> { }), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16LE);
        byte[] bom = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, order(o -> { }));

        for (byte[] input : List.of(utf16, bom)) {
            OrderPlaced alone = reader.read(input);
            DecodedOrder decoded = codec.decodeOrder(input);

            check(alone != null, input, alone, "read by the reader alone (if not, this test's premise is gone)");
            check(problem(decoded) == DecodedOrder.Problem.INVALID_UTF8, input, decoded, "INVALID_UTF8 from decodeOrder");
        }
    }

    @ParameterizedTest(name = "{argumentSetName}")
    @MethodSource("samples")
    void producersOrders_takeTheStreamReader(byte[] input) {
        OrderPlaced got = reader.read(input);

        check(got != null && got.equals(bind(input)), input, got, "the order data binding reads");
    }

    @Test
    void unknownFields_areLeftToDataBinding_whichIgnoresThem() {
        byte[] unknown = order(o -> o.putObject("extra").put("note", "x"));

        OrderPlaced got = reader.read(unknown);

        check(got == null, unknown, got, "left to data binding (the reader cannot tell their keys apart)");
        DecodedOrder decoded = codec.decodeOrder(unknown);
        check(decoded.equals(new DecodedOrder.Valid(OrderCodecTest.BASE)), unknown, decoded, "Valid " + OrderCodecTest.BASE);
    }

    /**
     * What the hand-written reader alone makes of {@code bytes}: {@code null} when it leaves the
     * record to data binding, else its order judged by the same rules decodeOrder applies.
     */
    private DecodedOrder readersVerdict(byte[] bytes) {
        if (bytes == null || BYTE_CHECKS.contains(problem(codec.decodeOrderWithDataBinding(bytes)))) {
            return null; // decodeOrder's byte checks answer before the reader is reached
        }
        OrderPlaced plain = reader.read(bytes);
        if (plain == null) {
            return null;
        }
        return RULES.check(plain)
                .<DecodedOrder>map(v -> new DecodedOrder.Invalid(v.problem(), v.reason(), Optional.ofNullable(plain.orderId())))
                .orElseGet(() -> new DecodedOrder.Valid(plain));
    }

    private static DecodedOrder.Problem problem(DecodedOrder decoded) {
        return decoded instanceof DecodedOrder.Invalid i ? i.problem() : null;
    }

    /** Same acceptance and order, or the same problem and reason. */
    private static boolean sameVerdict(DecodedOrder a, DecodedOrder b) {
        return switch (a) {
            case DecodedOrder.Valid v -> v.equals(b);
            case DecodedOrder.Invalid i -> b instanceof DecodedOrder.Invalid j
                    && i.problem() == j.problem() && i.reason().equals(j.reason());
        };
    }

    private static OrderPlaced bind(byte[] bytes) {
        try {
            return MAPPER.readValue(bytes, OrderPlaced.class);
        } catch (IOException e) {
            throw new AssertionError("data binding failed where the stream reader did not: " + e.getMessage(), e);
        }
    }

    private static byte[] pretty(byte[] json) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(MAPPER.readTree(json));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
