package dev.orderpipeline.contract;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads and writes the pipeline's events as JSON. Reading is strict, because a lenient reader
 * turns a sender's bug into a wrong payment: no strings for numbers, no floats for integers, no
 * numbers for date-times, no duplicate keys, no trailing data. Unknown properties are ignored so
 * that a newer sender can add fields without breaking older workers.
 *
 * <p>Thread-safe; share one instance.
 */
public final class OrderCodec {

    /** A comfortable bound for an order: a hundred lines are a few kilobytes. */
    public static final int DEFAULT_MAX_ORDER_BYTES = 64 * 1024;

    /**
     * The longest record key the worker reads, in bytes. A key must be the order id, and an id
     * of {@value OrderRules#MAX_ID_LENGTH} UTF-16 characters is at most 384 bytes of UTF-8; the
     * limit leaves room so that a key is refused as too long only when it is far too long.
     */
    public static final int MAX_KEY_BYTES = 1024;

    /** How much of a sender's value a reason quotes when it names a wrong value. */
    private static final int MAX_QUOTED_CHARS = 40;

    private final ObjectMapper mapper;
    /**
     * Reads one value and stops, so that decodeOrder can check for trailing data itself:
     * FAIL_ON_TRAILING_TOKENS's message names Jackson internals, not what is wrong with the record.
     */
    private final ObjectReader treeReader;
    // Strict like the mapper: trailing data, duplicate keys and coercions fail the fast path.
    private final ObjectReader orderReader;
    private final OrderStreamReader streamReader;
    private final OrderRules rules = new OrderRules();
    private final OutcomeWriter outcomeWriter;
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
        this.treeReader = mapper.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.orderReader = mapper.readerFor(OrderPlaced.class);
        this.streamReader = new OrderStreamReader(mapper.getFactory());
        this.outcomeWriter = new OutcomeWriter(mapper);
    }

    /** The mapper configured for this contract, for callers that need JSON of their own. */
    public static ObjectMapper newMapper() {
        // Jackson's default buffer pool is per thread, and every order runs on a fresh virtual
        // thread: it allocated new 8 KB and 4 KB buffers for each decode and encode. A pool
        // shared by all threads hands them back instead.
        JsonFactory factory = JsonFactory.builder().recyclerPool(JsonRecyclerPools.newConcurrentDequePool()).build();
        JsonMapper mapper = JsonMapper.builder(factory)
                .addModule(new JavaTimeModule())
                // Added after JavaTimeModule so that it wins: a bare number for a time is
                // ambiguous (seconds or milliseconds?), so only the ISO-8601 string is read.
                .addModule(new SimpleModule("strict-instant").addDeserializer(Instant.class, new IsoInstantDeserializer()))
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
        return outcomeWriter.write(outcome);
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
        DecodedOrder.Invalid unreadable = unreadable(value);
        if (unreadable != null) {
            return unreadable;
        }
        // Fastest path: the plain shape of a valid order, read from the token stream.
        OrderPlaced plain = streamReader.read(value);
        if (plain != null && rules.check(plain).isEmpty()) {
            return new DecodedOrder.Valid(plain);
        }
        return decodeWithDataBinding(value);
    }

    /** {@link #decodeOrder} without the stream reader: the way it must always agree with. */
    DecodedOrder decodeOrderWithDataBinding(byte[] value) {
        DecodedOrder.Invalid unreadable = unreadable(value);
        return unreadable != null ? unreadable : decodeWithDataBinding(value);
    }

    /** The problem with {@code value} before it is read as JSON, or {@code null}. */
    private DecodedOrder.Invalid unreadable(byte[] value) {
        if (value == null) {
            return invalid(DecodedOrder.Problem.NULL_VALUE, "record value is null (a tombstone is not an order)", null);
        }
        if (value.length > maxOrderBytes) {
            return invalid(DecodedOrder.Problem.OVERSIZED,
                    "record value is " + value.length + " bytes, more than the limit of " + maxOrderBytes, null);
        }
        String utf8Problem = Utf8.problem(value);
        return utf8Problem == null ? null : invalid(DecodedOrder.Problem.INVALID_UTF8, utf8Problem, null);
    }

    private DecodedOrder decodeWithDataBinding(byte[] value) {
        // Fast path: nearly every record is a valid order, read in one pass. Whatever fails here
        // is read again below, the slow way, to say exactly what is wrong with it.
        try {
            OrderPlaced order = orderReader.readValue(value);
            if (order != null && rules.check(order).isEmpty()) {
                return new DecodedOrder.Valid(order);
            }
        } catch (IOException e) {
            // Not a valid order: the slow path names the defect.
        }
        JsonNode tree;
        try (JsonParser parser = mapper.createParser(value)) {
            tree = treeReader.readTree(parser);
            if (tree != null && !tree.isMissingNode()) {
                JsonLocation end = parser.currentLocation();
                if (hasMoreContent(parser)) {
                    return invalid(DecodedOrder.Problem.MALFORMED_JSON, "not valid JSON" + at(end)
                            + ": unexpected data after the end of the JSON " + (tree.isObject() ? "object" : "value"), null);
                }
            }
        } catch (JsonProcessingException e) {
            // A duplicate key is the one JSON defect that leaves the order id readable.
            return invalid(DecodedOrder.Problem.MALFORMED_JSON, "not valid JSON" + at(e.getLocation()) + ": "
                    + e.getOriginalMessage(), readableOrderId(value));
        } catch (IOException e) {
            return invalid(DecodedOrder.Problem.MALFORMED_JSON, "not valid JSON: " + e.getMessage(), null);
        }
        if (tree == null || tree.isMissingNode()) {
            return invalid(DecodedOrder.Problem.MALFORMED_JSON, "record value is empty", null);
        }
        if (!tree.isObject()) {
            return invalid(DecodedOrder.Problem.WRONG_TYPE, "an order must be a JSON object, got " + describe(tree), null);
        }
        String orderId = tree.path("orderId").isTextual() ? tree.get("orderId").asText() : null;
        OrderPlaced order;
        try {
            order = mapper.treeToValue(tree, OrderPlaced.class);
        } catch (JsonProcessingException e) {
            return bindingProblem(e, tree, orderId);
        }
        return rules.check(order)
                .<DecodedOrder>map(v -> invalid(v.problem(), v.reason(), orderId))
                .orElseGet(() -> new DecodedOrder.Valid(order));
    }

    /**
     * The order id of a record whose JSON is refused, if it is still readable: the value is one
     * well-formed JSON object, duplicate keys aside, and its top level has exactly one
     * {@code orderId}, a string. Otherwise {@code null}: an id read from broken JSON, or one of two
     * ids, could answer somebody else's order.
     */
    private String readableOrderId(byte[] value) {
        try (JsonParser parser = mapper.createParser(value)) {
            parser.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String orderId = null;
            int seen = 0;
            for (String field; (field = parser.nextFieldName()) != null; ) {
                JsonToken token = parser.nextToken();
                if (field.equals("orderId")) {
                    seen++;
                    orderId = token == JsonToken.VALUE_STRING ? parser.getText() : null;
                }
                parser.skipChildren();
            }
            return seen == 1 && parser.nextToken() == null ? orderId : null;
        } catch (IOException e) {
            return null;
        }
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
        // The Invalid escapes and caps both texts (SenderText).
        return new DecodedOrder.Invalid(problem, reason, Optional.ofNullable(orderId).filter(id -> !id.isBlank()));
    }

    private static boolean hasMoreContent(JsonParser parser) throws IOException {
        try {
            return parser.nextToken() != null;
        } catch (JsonProcessingException e) {
            return true;
        }
    }

    private static String at(JsonLocation location) {
        // Locations are unknown (-1) when binding from a tree; say nothing rather than "line -1".
        return location == null || location.getLineNr() < 1 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /**
     * Turns a failure to bind the tree to {@link OrderPlaced} into a reason a sender can act on:
     * which field, what the contract wants there, what the record has. A null or absent value
     * where a number is wanted is a missing field, not a wrong type.
     */
    private DecodedOrder.Invalid bindingProblem(JsonProcessingException e, JsonNode tree, String orderId) {
        if (!(e instanceof JsonMappingException mapping) || mapping.getPath().isEmpty()) {
            return invalid(DecodedOrder.Problem.WRONG_TYPE, "cannot read the order: " + e.getOriginalMessage(), orderId);
        }
        List<JsonMappingException.Reference> path = mapping.getPath();
        String field = pathOf(path);
        JsonNode node = tree.at(pointerOf(path));
        if (node.isMissingNode() || node.isNull()) {
            return invalid(DecodedOrder.Problem.MISSING_FIELD, "missing field " + field, orderId);
        }
        Type type = typeAt(path);
        String want = type == null ? null : expectation(type);
        if (want == null) {
            return invalid(DecodedOrder.Problem.WRONG_TYPE, field + ": " + e.getOriginalMessage(), orderId);
        }
        if (node.isIntegralNumber() && (type == int.class || type == long.class)) {
            want = type == int.class ? "an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE
                    : "an integer from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
        }
        return invalid(DecodedOrder.Problem.WRONG_TYPE, field + " must be " + want + ", got " + describe(node), orderId);
    }

    /** What the contract wants for a value of Java type {@code type}, or null if unknown. */
    private String expectation(Type type) {
        if (type == int.class || type == long.class || type == Integer.class || type == Long.class) {
            return "an integer";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Instant.class) {
            return "an ISO-8601 date-time string with an offset, years 0000 to 9999 in UTC,"
                    + " such as \"2026-01-31T18:30:00Z\"";
        }
        if (type instanceof Class<?> c && c.isEnum()) {
            return "one of " + Arrays.stream(c.getEnumConstants())
                    .map(constant -> "\"" + mapper.valueToTree(constant).asText() + "\"")
                    .collect(Collectors.joining(", "));
        }
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            return "an array";
        }
        if (type instanceof Class<?> c && c.isRecord()) {
            return "an object";
        }
        return null;
    }

    /** The Java type the contract gives the value at {@code path}, or null if it has none. */
    private static Type typeAt(List<JsonMappingException.Reference> path) {
        Type type = OrderPlaced.class;
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() != null && type instanceof Class<?> c && c.isRecord()) {
                type = Arrays.stream(c.getRecordComponents())
                        .filter(component -> component.getName().equals(ref.getFieldName()))
                        .map(RecordComponent::getGenericType)
                        .findFirst().orElse(null);
            } else if (ref.getFieldName() == null && ref.getIndex() >= 0
                    && type instanceof ParameterizedType p && p.getRawType() == List.class) {
                type = p.getActualTypeArguments()[0];
            } else {
                return null;
            }
            if (type == null) {
                return null;
            }
        }
        return type;
    }

    /** A JSON value as a sender would name it, quoting at most a few characters of it. */
    private static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> "the string \"" + SenderText.of(node.asText(), MAX_QUOTED_CHARS) + "\"";
            case NUMBER -> "the number " + SenderText.of(node.asText(), MAX_QUOTED_CHARS);
            case BOOLEAN -> node.asText();
            case NULL -> "null";
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case BINARY, MISSING -> "no value";
        };
    }

    private static String pathOf(List<JsonMappingException.Reference> refs) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : refs) {
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

    private static String pointerOf(List<JsonMappingException.Reference> refs) {
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference ref : refs) {
            pointer.append('/').append(ref.getFieldName() != null
                    ? ref.getFieldName().replace("~", "~0").replace("/", "~1")
                    : Integer.toString(ref.getIndex()));
        }
        return pointer.toString();
    }
}
