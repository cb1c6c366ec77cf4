package dev.orderpipeline.contract;

import static dev.orderpipeline.contract.OrderCodecTest.check;
import static dev.orderpipeline.contract.OrderCodecTest.order;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The stream reader is only a shortcut: every record decodes to exactly what data binding
 * makes of it, valid or not, with the same reason.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class OrderStreamReaderTest {

    private static final ObjectMapper MAPPER = OrderCodec.newMapper();

    private final OrderCodec codec = new OrderCodec(OrderCodecTest.LIMIT);
    private final OrderStreamReader reader = new OrderStreamReader(MAPPER.getFactory());

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
