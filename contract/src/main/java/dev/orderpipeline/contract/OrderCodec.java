package dev.orderpipeline.contract;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads and writes the pipeline's events as JSON. Reading is strict, because a lenient reader
 * turns a sender's bug into a wrong payment: no strings for numbers, no floats for integers, no
 * duplicate keys, no trailing data. Unknown properties are ignored so that a newer sender can
 * add fields without breaking older workers.
 *
 * <p>Thread-safe; share one instance.
 */
public final class OrderCodec {

    /** A comfortable bound for an order: a hundred lines are a few kilobytes. */
    public static final int DEFAULT_MAX_ORDER_BYTES = 64 * 1024;

    private final ObjectMapper mapper;
    private final OrderRules rules = new OrderRules();
    private final int maxOrderBytes;

    public OrderCodec() {
        this(DEFAULT_MAX_ORDER_BYTES);
    }

    /** @param maxOrderBytes larger order records are rejected as {@code OVERSIZED} */
    public OrderCodec(int maxOrderBytes) {
        if (maxOrderBytes <= 0) {
            throw new IllegalArgumentException("maxOrderBytes must be positive, got " + maxOrderBytes);
        }
        this.maxOrderBytes = maxOrderBytes;
        this.mapper = newMapper();
    }

    /** The mapper configured for this contract, for callers that need JSON of their own. */
    public static ObjectMapper newMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .build();
        for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    public int maxOrderBytes() {
        return maxOrderBytes;
    }

    public byte[] encode(OrderPlaced order) {
        return write(order);
    }

    public byte[] encode(OrderOutcome outcome) {
        return write(outcome);
    }

    /** Reads an {@code order-results} value; throws {@link IllegalArgumentException} if it is not one. */
    public OrderOutcome decodeOutcome(byte[] value) {
        try {
            return mapper.readValue(value, OrderOutcome.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not an OrderOutcome: " + e.getMessage(), e);
        }
    }

    /**
     * Reads an {@code orders} value. Never throws for bad input: every defect comes back as
     * {@link DecodedOrder.Invalid} with a reason a sender can act on.
     */
    public DecodedOrder decodeOrder(byte[] value) {
        if (value == null) {
            return invalid(DecodedOrder.Problem.NULL_VALUE, "record value is null (a tombstone is not an order)", null);
        }
        if (value.length > maxOrderBytes) {
            return invalid(DecodedOrder.Problem.OVERSIZED,
                    "record value is " + value.length + " bytes, more than the limit of " + maxOrderBytes, null);
        }
        String utf8Problem = utf8Problem(value);
        if (utf8Problem != null) {
            return invalid(DecodedOrder.Problem.INVALID_UTF8, utf8Problem, null);
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(value);
        } catch (JsonProcessingException e) {
            return invalid(DecodedOrder.Problem.MALFORMED_JSON, "not valid JSON: " + oneLine(e), null);
        } catch (IOException e) {
            return invalid(DecodedOrder.Problem.MALFORMED_JSON, "not valid JSON: " + e.getMessage(), null);
        }
        if (tree == null || tree.isMissingNode()) {
            return invalid(DecodedOrder.Problem.MALFORMED_JSON, "record value is empty", null);
        }
        if (!tree.isObject()) {
            return invalid(DecodedOrder.Problem.WRONG_TYPE, "an order must be a JSON object, got " + tree.getNodeType(), null);
        }
        String orderId = tree.path("orderId").isTextual() ? tree.get("orderId").asText() : null;
        OrderPlaced order;
        try {
            order = mapper.treeToValue(tree, OrderPlaced.class);
        } catch (JsonProcessingException e) {
            return invalid(DecodedOrder.Problem.WRONG_TYPE, oneLine(e), orderId);
        }
        return rules.check(order)
                .<DecodedOrder>map(v -> invalid(v.problem(), v.reason(), orderId))
                .orElseGet(() -> new DecodedOrder.Valid(order));
    }

    private byte[] write(Object event) {
        try {
            return mapper.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            // Our own records always serialise; failing here is a bug, not bad input.
            throw new UncheckedIOException(e);
        }
    }

    private static DecodedOrder.Invalid invalid(DecodedOrder.Problem problem, String reason, String orderId) {
        return new DecodedOrder.Invalid(problem, reason, Optional.ofNullable(orderId).filter(id -> !id.isBlank()));
    }

    private static String utf8Problem(byte[] value) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value));
            return null;
        } catch (CharacterCodingException e) {
            return "record value is not valid UTF-8 (" + e.getMessage() + ")";
        }
    }

    /** Jackson's message without its source excerpt, on one line. */
    private static String oneLine(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                + ", column " + e.getLocation().getColumnNr();
        String path = e instanceof com.fasterxml.jackson.databind.JsonMappingException d && !d.getPath().isEmpty()
                ? " (field " + pathOf(d) + ")" : "";
        String text = message + path + where;
        return text.replaceAll("\\s+", " ").strip();
    }

    private static String pathOf(com.fasterxml.jackson.databind.JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (com.fasterxml.jackson.databind.JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
