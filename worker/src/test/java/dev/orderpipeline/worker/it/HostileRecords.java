package dev.orderpipeline.worker.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.contract.Simulation;
import dev.orderpipeline.contract.StepFault;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Records a hostile sender could write to {@code orders}, drawn from a seed: valid orders (some
 * failing on purpose) and seeded mutations of them, random bytes, keys and headers. The same
 * seed gives the same records, so a failing seed can be kept as a test case.
 */
final class HostileRecords {

    /** One record as sent; {@code key} and {@code value} may be {@code null}. */
    record Hostile(String kind, byte[] key, byte[] value, List<Header> headers) {
    }

    /** Characters a terminal or a log reader acts on. */
    private static final String[] NASTY = {"\n", "\r\n", "\u001b[31m", "\u001b]0;title\u0007", "\u0000", "\u007f",
            "\u0085", "\u2028", "\u202e", "\t", "\"", "\\", "\\n", "\uD800", "🍕", "é"};
    private static final String FORGED_LINE = "\n2026-12-06T21:00:00.000+0000 [main] ERROR Worker - forged";

    private static final ObjectMapper MAPPER = OrderCodec.newMapper();

    private final OrderCodec codec = new OrderCodec();
    private final SplittableRandom random;
    private final String prefix;

    private HostileRecords(long seed) {
        this.random = new SplittableRandom(seed);
        this.prefix = "fz" + Long.toHexString(seed) + "-";
    }

    static List<Hostile> generate(long seed, int count) {
        HostileRecords records = new HostileRecords(seed);
        List<Hostile> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(records.next(i));
        }
        return out;
    }

    private Hostile next(int i) {
        String id = prefix + i;
        OrderPlaced order = SampleOrders.order(id, Instant.parse("2026-12-06T10:00:00Z"), simulation(),
                new java.util.Random(random.nextLong()));
        byte[] json = codec.encode(order);
        Hostile hostile = switch (random.nextInt(16)) {
            case 0, 1, 2, 3 -> new Hostile("valid", utf8(id), json, List.of());
            case 4 -> {
                String nasty = id + nasty() + FORGED_LINE + nasty();
                yield new Hostile("valid, control characters in the id", utf8(nasty), withField(json, "orderId", nasty), List.of());
            }
            case 5 -> new Hostile("valid, huge vendor and zone", utf8(id), withFields(json,
                    "vendorId", nasty() + "v".repeat(random.nextInt(20_000)) + nasty(),
                    "deliveryZone", FORGED_LINE + "z".repeat(random.nextInt(20_000))), List.of());
            case 6 -> {
                String longId = id + nasty() + "x".repeat(129 + random.nextInt(60_000));
                yield new Hostile("id over 128 characters", utf8(id), withField(json, "orderId", longId), List.of());
            }
            case 7 -> new Hostile("bytes mutated", utf8(id), mutate(json), List.of());
            case 8 -> new Hostile("cut short", utf8(id), Arrays.copyOf(json, random.nextInt(json.length)), List.of());
            case 9 -> new Hostile("duplicate key", utf8(id), duplicateKey(json), List.of());
            case 10 -> new Hostile("other encoding", utf8(id), encoding(json), List.of());
            case 11 -> new Hostile("random bytes", randomBytes(random.nextInt(64)), randomBytes(random.nextInt(3_000)),
                    List.of());
            case 12 -> new Hostile("null value", utf8(id), null, List.of());
            case 13 -> new Hostile("createdAt out of range", utf8(id), withField(json, "createdAt",
                    random.nextBoolean() ? "+10000-01-01T00:00:00Z" : "9999-12-31T23:30:00-01:00"), List.of());
            case 14 -> new Hostile("hostile key", hostileKey(id), json, List.of());
            default -> new Hostile("oversized value", utf8(id), Arrays.copyOf(json, 64 * 1024 + 1 + random.nextInt(4_096)),
                    List.of());
        };
        return random.nextInt(4) == 0 ? new Hostile(hostile.kind() + " + headers", hostile.key(), hostile.value(),
                headers()) : hostile;
    }

    private Simulation simulation() {
        return switch (random.nextInt(8)) {
            case 0 -> Simulation.payment(StepFault.FAIL);
            case 1 -> Simulation.vendor(StepFault.FAIL);
            case 2 -> Simulation.courier(StepFault.CRASH);
            default -> null;
        };
    }

    private String nasty() {
        return NASTY[random.nextInt(NASTY.length)];
    }

    private byte[] hostileKey(String id) {
        return switch (random.nextInt(5)) {
            case 0 -> null;
            case 1 -> utf8(id + nasty() + FORGED_LINE);
            case 2 -> utf8("k".repeat(OrderCodec.MAX_KEY_BYTES + 1 + random.nextInt(60_000)));
            case 3 -> new byte[] {(byte) 0xC3, 0x28, 0x1b, '\n'};
            default -> randomBytes(random.nextInt(2_000));
        };
    }

    private List<Header> headers() {
        List<Header> headers = new ArrayList<>();
        // Not a lone surrogate in a name: Kafka's producer sizes it as 4 bytes, writes '?' and the broker refuses the batch.
        String odd = "x" + nasty().replace("\uD800", "\uFFFD");
        for (String name : List.of("dlt.problem", "dlt.reason", "dlt.original.offset", "traceparent", odd)) {
            if (random.nextBoolean()) {
                headers.add(new RecordHeader(name, random.nextBoolean() ? utf8("NOT_A_PROBLEM" + FORGED_LINE + nasty())
                        : randomBytes(random.nextInt(500))));
            }
        }
        return headers;
    }

    private byte[] mutate(byte[] json) {
        byte[] out = json.clone();
        for (int n = 1 + random.nextInt(4); n > 0; n--) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(3)) {
                case 0 -> out[at] = (byte) random.nextInt(256);
                case 1 -> out[at] = (byte) "\n\u001b\u0000\"{}[],:\\".charAt(random.nextInt(11));
                default -> {
                    ByteArrayOutputStream grown = new ByteArrayOutputStream();
                    grown.write(out, 0, at);
                    grown.writeBytes(utf8(nasty()));
                    grown.write(out, at, out.length - at);
                    out = grown.toByteArray();
                }
            }
        }
        return out;
    }

    private byte[] duplicateKey(byte[] json) {
        String text = new String(json, StandardCharsets.UTF_8);
        String field = List.of("amount", "orderId", "customerId", "items", "createdAt").get(random.nextInt(5));
        return utf8(text.replaceFirst("\"" + field + "\":", "\"" + field + "\":\"dup" + nasty().replace("\\", "")
                .replace("\"", "").replace("\n", "\\n") + "\",\"" + field + "\":"));
    }

    private byte[] encoding(byte[] json) {
        String text = new String(json, StandardCharsets.UTF_8);
        return switch (random.nextInt(4)) {
            case 0 -> text.getBytes(StandardCharsets.UTF_16LE);
            case 1 -> text.getBytes(StandardCharsets.UTF_16BE);
            case 2 -> text.getBytes(StandardCharsets.UTF_16);
            default -> concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, json);
        };
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    private static byte[] withField(byte[] json, String field, String value) {
        return withFields(json, field, value);
    }

    private static byte[] withFields(byte[] json, String... fieldsAndValues) {
        try {
            ObjectNode tree = (ObjectNode) MAPPER.readTree(json);
            for (int i = 0; i < fieldsAndValues.length; i += 2) {
                tree.put(fieldsAndValues[i], fieldsAndValues[i + 1]);
            }
            return MAPPER.writeValueAsBytes(tree);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
