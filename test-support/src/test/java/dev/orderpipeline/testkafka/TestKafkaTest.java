package dev.orderpipeline.testkafka;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** What needs no broker; everything touching one is in {@link TestKafkaIT}. */
@Timeout(10)
class TestKafkaTest {

    @Test
    void uniqueName_isPrefixDashSixHex_andDiffersBetweenCalls() {
        String first = TestKafka.uniqueName("orders");
        String second = TestKafka.uniqueName("orders");

        assertTrue(first.matches("orders-[0-9a-f]{6}"), "got " + first);
        assertNotEquals(first, second);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"has space", "slash/topic", "ünïcode"})
    void uniqueName_illegalTopicPrefix_isRejected(String prefix) {
        var e = assertThrows(IllegalArgumentException.class, () -> TestKafka.uniqueName(prefix));
        assertTrue(e.getMessage().contains("prefix"), e.getMessage());
    }
}
