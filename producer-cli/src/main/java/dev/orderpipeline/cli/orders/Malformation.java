package dev.orderpipeline.cli.orders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderpipeline.contract.DecodedOrder.Problem;
import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.OrderPlaced;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The kinds of broken record the generator sends, each built from a valid order so that it still
 * carries the order id (as its key, and in the value where the defect allows), and each naming the
 * {@code dlt.problem} the worker should report for it.
 */
public enum Malformation {
    /** The JSON is cut off in the middle of the object. */
    BROKEN_JSON(Problem.MALFORMED_JSON) {
        @Override
        byte[] render(ObjectNode order) {
            byte[] json = write(order);
            return Arrays.copyOf(json, json.length * 2 / 3);
        }
    },
    /** {@code amount.minorUnits} is a string: the strict codec does not coerce it. */
    WRONG_TYPE(Problem.WRONG_TYPE) {
        @Override
        byte[] render(ObjectNode order) {
            ObjectNode amount = (ObjectNode) order.get("amount");
            amount.put("minorUnits", amount.get("minorUnits").asText());
            return write(order);
        }
    },
    /** {@code customerId} is left out. */
    MISSING_FIELD(Problem.MISSING_FIELD) {
        @Override
        byte[] render(ObjectNode order) {
            order.remove("customerId");
            return write(order);
        }
    },
    /** {@code customerId} contains a byte sequence that is not UTF-8. */
    INVALID_UTF8(Problem.INVALID_UTF8) {
        @Override
        byte[] render(ObjectNode order) {
            String marker = "@@not-utf8@@";
            order.put("customerId", marker);
            // 0xC3 starts a two-byte sequence that '(' (0x28) cannot continue.
            return replace(write(order), marker.getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xC3, 0x28});
        }
    },
    /** {@code items} is an empty array: well-formed JSON that breaks a business rule. */
    EMPTY_ITEMS(Problem.RULE_VIOLATION) {
        @Override
        byte[] render(ObjectNode order) {
            order.putArray("items");
            return write(order);
        }
    },
    /** {@code amount} is negative (the items are left as they were). */
    NEGATIVE_AMOUNT(Problem.RULE_VIOLATION) {
        @Override
        byte[] render(ObjectNode order) {
            ObjectNode amount = (ObjectNode) order.get("amount");
            amount.put("minorUnits", -amount.get("minorUnits").asLong());
            return write(order);
        }
    },
    // Kinds added later go last: the generator takes the kinds in turn, so runs with few
    // malformed records keep sending the kinds above.
    /** The amount and every item price are in "XXZ", which is no ISO 4217 code. */
    UNKNOWN_CURRENCY(Problem.RULE_VIOLATION) {
        @Override
        byte[] render(ObjectNode order) {
            ((ObjectNode) order.get("amount")).put("currency", "XXZ");
            order.get("items").forEach(item -> ((ObjectNode) item.get("unitPrice")).put("currency", "XXZ"));
            return write(order);
        }
    },
    /** The order wrapped in a JSON array: well-formed JSON, but not an object. */
    NOT_AN_OBJECT(Problem.WRONG_TYPE) {
        @Override
        byte[] render(ObjectNode order) {
            return write(MAPPER.createArrayNode().add(order));
        }
    },
    /** 2 KB of random bytes, the same for the same order id. */
    RANDOM_BYTES(Problem.INVALID_UTF8) {
        @Override
        byte[] render(ObjectNode order) {
            byte[] bytes = new byte[2048];
            new java.util.Random(order.path("orderId").asText().hashCode()).nextBytes(bytes);
            return bytes;
        }
    };

    private static final ObjectMapper MAPPER = OrderCodec.newMapper();

    private final Problem problem;

    Malformation(Problem problem) {
        this.problem = problem;
    }

    /** The {@code dlt.problem} a correct worker reports for this kind of record. */
    public Problem problem() {
        return problem;
    }

    /** The broken record value for {@code order}. */
    public byte[] render(OrderPlaced order) {
        return render((ObjectNode) MAPPER.valueToTree(order));
    }

    /** Breaks {@code order}, a tree this call may change. */
    abstract byte[] render(ObjectNode order);

    private static byte[] write(com.fasterxml.jackson.databind.JsonNode order) {
        try {
            return MAPPER.writeValueAsBytes(order);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] replace(byte[] in, byte[] target, byte[] replacement) {
        for (int i = 0; i + target.length <= in.length; i++) {
            if (Arrays.equals(in, i, i + target.length, target, 0, target.length)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
                out.write(in, 0, i);
                out.writeBytes(replacement);
                out.write(in, i + target.length, in.length - i - target.length);
                return out.toByteArray();
            }
        }
        throw new IllegalStateException("marker not found in the rendered order");
    }
}
