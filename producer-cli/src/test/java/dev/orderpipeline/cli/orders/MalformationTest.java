package dev.orderpipeline.cli.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.orderpipeline.contract.DecodedOrder;
import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.SampleOrders;
import java.time.Instant;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MalformationTest {

    private static final OrderCodec CODEC = new OrderCodec();

    @ParameterizedTest
    @EnumSource(Malformation.class)
    void everyKind_isRejectedByTheContractCodec_withItsProblem(Malformation kind) {
        OrderPlaced order = SampleOrders.order("order-1", Instant.parse("2026-11-27T10:00:00Z"), null, new SplittableRandom(1));

        DecodedOrder decoded = CODEC.decodeOrder(kind.render(order));

        DecodedOrder.Invalid invalid = assertInstanceOf(DecodedOrder.Invalid.class, decoded, kind + " decoded as valid");
        assertEquals(kind.problem(), invalid.problem(), kind + ": " + invalid.reason());
    }

    @ParameterizedTest
    @EnumSource(value = Malformation.class, names = {"WRONG_TYPE", "MISSING_FIELD", "EMPTY_ITEMS", "NEGATIVE_AMOUNT", "UNKNOWN_CURRENCY"})
    void kindsThatKeepTheJsonReadable_stillCarryTheOrderId(Malformation kind) {
        OrderPlaced order = SampleOrders.order("order-1", Instant.parse("2026-11-27T10:00:00Z"), null, new SplittableRandom(1));

        DecodedOrder.Invalid invalid = (DecodedOrder.Invalid) CODEC.decodeOrder(kind.render(order));

        assertEquals(Optional.of("order-1"), invalid.orderId(), kind.toString());
    }
}
