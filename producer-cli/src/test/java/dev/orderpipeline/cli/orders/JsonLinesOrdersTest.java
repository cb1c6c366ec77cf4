package dev.orderpipeline.cli.orders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.DecodedOrder;
import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.contract.Simulation;
import dev.orderpipeline.contract.StepFault;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class JsonLinesOrdersTest {

    private static final OrderCodec CODEC = new OrderCodec();
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant SENT_AT = Instant.parse("2026-11-27T10:15:30Z");
    private static final JsonLinesOrders.Policy STRICT = new JsonLinesOrders.Policy(false, false);

    @Test
    void validLines_becomeOrdersKeyedByOrderId_inFileOrder_skippingBlankLines() throws Exception {
        String file = json("a-1", null) + "\n\n" + json("a-2", Simulation.payment(StepFault.FAIL)) + "\n   \n";

        List<OutgoingOrder> orders = read(file, STRICT);

        assertEquals(List.of("a-1", "a-2"), orders.stream().map(OutgoingOrder::key).toList());
        assertEquals(List.of(Scenario.VALID, Scenario.DECLINE), orders.stream().map(OutgoingOrder::scenario).toList());
    }

    @Test
    void validLines_areRestampedWithTheSendTime_byDefault() throws Exception {
        OutgoingOrder order = read(json("a-1", null), STRICT).getFirst();

        OrderPlaced sent = ((DecodedOrder.Valid) CODEC.decodeOrder(order.value(SENT_AT))).order();

        assertEquals(SENT_AT, sent.createdAt());
    }

    @Test
    void keepCreatedAt_sendsTheLineByteForByte() throws Exception {
        String line = json("a-1", null);

        OutgoingOrder order = read(line + "\r\n", new JsonLinesOrders.Policy(false, true)).getFirst();

        assertArrayEquals(line.getBytes(StandardCharsets.UTF_8), order.value(SENT_AT));
    }

    @Test
    void linesThatAreNotOrders_areReportedWithTheirLineNumbers_andNothingIsReturned() {
        String file = json("a-1", null) + "\n"
                + "{not json\n"
                + json("a-3", null).replace("\"customerId\"", "\"customer\"") + "\n"
                + "\n"
                + "[1,2]\n";

        BadInputException e = assertThrows(BadInputException.class, () -> read(file, STRICT));

        assertEquals(List.of(2, 3, 5), e.problems().stream().map(BadInputException.LineProblem::line).toList());
        assertTrue(e.problems().get(0).problem().startsWith("MALFORMED_JSON"), e.problems().toString());
        assertTrue(e.problems().get(1).problem().startsWith("MISSING_FIELD: missing field customerId"), e.problems().toString());
        assertTrue(e.problems().get(2).problem().startsWith("WRONG_TYPE"), e.problems().toString());
        assertTrue(e.getMessage().startsWith("orders.jsonl: 3 lines are not orders"), e.getMessage());
        assertTrue(e.getMessage().contains("orders.jsonl:3: MISSING_FIELD"), e.getMessage());
    }

    @Test
    void oneBadLine_givesAOneLineMessage_withFileAndLine() {
        BadInputException e = assertThrows(BadInputException.class, () -> read(json("a-1", null) + "\nnope\n", STRICT));

        assertTrue(e.getMessage().startsWith("orders.jsonl:2: MALFORMED_JSON: "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void repeatedOrderId_isAnError_naming_theFirstLine() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> read(json("a-1", null) + "\n" + json("a-1", null) + "\n", STRICT));

        assertEquals("orders.jsonl:2: DUPLICATE_ID: orderId a-1 is already used on line 1", e.getMessage());
    }

    @Test
    void allowInvalid_sendsBadLinesAsTheyAre_keyedByOrderIdOrLineNumber() throws Exception {
        byte[] notUtf8 = {'{', '"', (byte) 0xC3, 0x28, '"', '}'};
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes((json("a-1", null) + "\n").getBytes(StandardCharsets.UTF_8));
        file.writeBytes((json("a-2", null).replace("\"customerId\"", "\"customer\"") + "\n").getBytes(StandardCharsets.UTF_8));
        file.writeBytes(notUtf8);

        List<OutgoingOrder> orders = read(file.toByteArray(), new JsonLinesOrders.Policy(true, false));

        assertEquals(List.of("a-1", "a-2", "line-3"), orders.stream().map(OutgoingOrder::key).toList());
        assertEquals(List.of(Expect.OUTCOME, Expect.DEAD_LETTER, Expect.DEAD_LETTER),
                orders.stream().map(OutgoingOrder::expect).toList());
        assertArrayEquals(notUtf8, orders.get(2).value(SENT_AT));
        DecodedOrder.Invalid invalid = assertInstanceOf(DecodedOrder.Invalid.class, CODEC.decodeOrder(orders.get(2).value(SENT_AT)));
        assertEquals(DecodedOrder.Problem.INVALID_UTF8, invalid.problem());
    }

    @Test
    void emptyInput_givesNoOrders() throws Exception {
        assertEquals(List.of(), read("", STRICT));
        assertEquals(List.of(), read("\n\n", STRICT));
    }

    private static String json(String id, Simulation simulation) {
        return new String(CODEC.encode(SampleOrders.order(id, CREATED, simulation, new SplittableRandom(id.hashCode()))),
                StandardCharsets.UTF_8);
    }

    private static List<OutgoingOrder> read(String file, JsonLinesOrders.Policy policy) throws IOException, BadInputException {
        return read(file.getBytes(StandardCharsets.UTF_8), policy);
    }

    private static List<OutgoingOrder> read(byte[] file, JsonLinesOrders.Policy policy) throws IOException, BadInputException {
        List<OutgoingOrder> orders = new ArrayList<>();
        JsonLinesOrders.read(new ByteArrayInputStream(file), "orders.jsonl", policy).forEach(orders::add);
        return orders;
    }
}
