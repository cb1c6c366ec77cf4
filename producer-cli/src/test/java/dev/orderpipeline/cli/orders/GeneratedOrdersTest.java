package dev.orderpipeline.cli.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.DecodedOrder;
import dev.orderpipeline.contract.OrderCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class GeneratedOrdersTest {

    private static final ScenarioMix MIX = new ScenarioMix(0.1, 0.05, 0.05, 0.03, 0.07);
    private static final Instant SENT_AT = Instant.parse("2026-11-27T10:15:30.123456Z");
    private static final OrderCodec CODEC = new OrderCodec();

    @Test
    void seededGenerator_sendsEachScenarioInItsExactShare() {
        GeneratedOrders orders = new GeneratedOrders(1000, MIX, "test", 42);

        Map<Scenario, Integer> got = new EnumMap<>(Scenario.class);
        orders.forEach(o -> got.merge(o.scenario(), 1, Integer::sum));

        assertEquals(Map.of(Scenario.VALID, 700, Scenario.DECLINE, 100, Scenario.VENDOR_OUTAGE, 50,
                Scenario.SLOW_COURIER, 50, Scenario.CRASH, 30, Scenario.MALFORMED, 70), got);
        assertEquals(1000, orders.size());
    }

    @Test
    void scenarios_areShuffled_notSentInBlocks() {
        List<Scenario> first20 = new ArrayList<>();
        for (OutgoingOrder o : new GeneratedOrders(1000, MIX, "test", 42)) {
            if (first20.size() < 20) {
                first20.add(o.scenario());
            }
        }
        assertTrue(new HashSet<>(first20).size() > 1, "the first 20 scenarios are all the same: " + first20);
    }

    @Test
    void sameSeed_givesSameIdsAndValues_differentSeed_givesDifferentOnes() {
        List<String> a = rendered(new GeneratedOrders(50, MIX, "ks", 7));
        List<String> b = rendered(new GeneratedOrders(50, MIX, "ks", 7));
        List<String> c = rendered(new GeneratedOrders(50, MIX, "ks", 8));

        assertEquals(a, b, "same seed, same orders");
        assertNotEquals(a, c, "another seed, other orders");
    }

    @Test
    void iteratingTwice_givesTheSameOrders() {
        GeneratedOrders orders = new GeneratedOrders(30, MIX, "ks", 7);
        assertEquals(rendered(orders), rendered(orders));
    }

    @Test
    void ids_comeFromTheKeySpace_areUnique_andAreTheRecordKeys() {
        Set<String> keys = new HashSet<>();
        for (OutgoingOrder o : new GeneratedOrders(100, MIX, "nightly-7", 1)) {
            assertTrue(o.key().matches("nightly-7-\\d{6}"), o.key());
            assertTrue(keys.add(o.key()), "duplicate key " + o.key());
        }
        assertTrue(keys.contains("nightly-7-000001") && keys.contains("nightly-7-000100"), keys.toString());
    }

    @Test
    void ordersPerKey_usesEachIdForThatManyRecordsInARow() {
        List<String> keys = new ArrayList<>();
        new GeneratedOrders(7, MIX, "ks", 1, 3).forEach(o -> keys.add(o.key()));

        assertEquals(List.of("ks-000001", "ks-000001", "ks-000001", "ks-000002", "ks-000002", "ks-000002", "ks-000003"),
                keys);
        assertThrows(IllegalArgumentException.class, () -> new GeneratedOrders(1, MIX, "ks", 1, 0));
    }

    @Test
    void ordersPerKey_eachRecordOfAKeyIsAnOrderStampedWithItsOwnSendTime() {
        List<Instant> createdAt = new ArrayList<>();
        int second = 0;
        for (OutgoingOrder o : new GeneratedOrders(3, new ScenarioMix(0, 0, 0, 0, 0), "ks", 1, 3)) {
            DecodedOrder.Valid valid = assertInstanceOf(DecodedOrder.Valid.class,
                    CODEC.decodeOrder(o.value(SENT_AT.plusSeconds(second++))));
            assertEquals("ks-000001", valid.order().orderId());
            createdAt.add(valid.order().createdAt());
        }
        assertEquals(List.of(SENT_AT, SENT_AT.plusSeconds(1), SENT_AT.plusSeconds(2)), createdAt);
    }

    @Test
    void defaultKeySpace_dependsOnlyOnTheSeed() {
        assertEquals(GeneratedOrders.defaultKeySpace(42), GeneratedOrders.defaultKeySpace(42));
        assertNotEquals(GeneratedOrders.defaultKeySpace(42), GeneratedOrders.defaultKeySpace(43));
        assertTrue(GeneratedOrders.defaultKeySpace(42).matches("cli-[0-9a-f]{8}"), GeneratedOrders.defaultKeySpace(42));
    }

    @Test
    void validScenarios_decodeAsValidOrders_withTheirSimulation_andTheSendTimeAsCreatedAt() {
        for (OutgoingOrder o : new GeneratedOrders(200, MIX, "ks", 3)) {
            if (o.scenario() == Scenario.MALFORMED) {
                continue;
            }
            DecodedOrder decoded = CODEC.decodeOrder(o.value(SENT_AT));
            DecodedOrder.Valid valid = assertInstanceOf(DecodedOrder.Valid.class, decoded, o.key() + ": " + decoded);
            assertEquals(o.key(), valid.order().orderId());
            assertEquals(SENT_AT, valid.order().createdAt());
            assertEquals(o.scenario(), Scenario.of(valid.order().simulation()), o.key());
            assertEquals(Expect.OUTCOME, o.expect());
        }
    }

    @Test
    void malformedRecords_failToDecode_coverEveryKind_andKeepTheirKey() {
        Set<Malformation> kinds = EnumSet.noneOf(Malformation.class);
        int malformed = 0;
        for (OutgoingOrder o : new GeneratedOrders(200, MIX, "ks", 3)) {
            if (o.scenario() != Scenario.MALFORMED) {
                continue;
            }
            malformed++;
            OutgoingOrder.Malformed m = assertInstanceOf(OutgoingOrder.Malformed.class, o);
            DecodedOrder decoded = CODEC.decodeOrder(o.value(SENT_AT));
            DecodedOrder.Invalid invalid = assertInstanceOf(DecodedOrder.Invalid.class, decoded, m.kind() + " decoded");
            assertEquals(m.kind().problem(), invalid.problem(), m.kind() + ": " + invalid.reason());
            assertTrue(o.key().startsWith("ks-"), o.key());
            assertEquals(Expect.DEAD_LETTER, o.expect());
            kinds.add(m.kind());
        }
        assertEquals(14, malformed);
        assertEquals(EnumSet.allOf(Malformation.class), kinds);
    }

    @Test
    void badKeySpaceOrCount_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> new GeneratedOrders(1, MIX, "has space", 1));
        assertThrows(IllegalArgumentException.class, () -> new GeneratedOrders(1, MIX, "", 1));
        assertThrows(IllegalArgumentException.class, () -> new GeneratedOrders(-1, MIX, "ks", 1));
    }

    private static List<String> rendered(GeneratedOrders orders) {
        List<String> out = new ArrayList<>();
        for (OutgoingOrder o : orders) {
            out.add(o.key() + " " + o.scenario() + " " + java.util.HexFormat.of().formatHex(o.value(SENT_AT)));
        }
        return out;
    }
}
