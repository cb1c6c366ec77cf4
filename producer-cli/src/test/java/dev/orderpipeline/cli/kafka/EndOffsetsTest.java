package dev.orderpipeline.cli.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class EndOffsetsTest {

    private static final TopicPartition RESULTS_0 = new TopicPartition("order-results", 0);
    private static final TopicPartition RESULTS_1 = new TopicPartition("order-results", 1);
    private static final TopicPartition DLT_0 = new TopicPartition("orders.DLT", 0);
    private static final Map<TopicPartition, Long> ENDS = Map.of(RESULTS_0, 10L, RESULTS_1, 0L, DLT_0, 3L);

    @Test
    void reached_whenEveryPartitionIsAtItsEnd() {
        assertTrue(EndOffsets.reached(ENDS, Map.of(RESULTS_0, 10L, RESULTS_1, 0L, DLT_0, 3L)::get));
    }

    @Test
    void reached_whenPastTheEnd_becauseMoreWasWrittenSince() {
        assertTrue(EndOffsets.reached(ENDS, Map.of(RESULTS_0, 12L, RESULTS_1, 1L, DLT_0, 3L)::get));
    }

    @Test
    void notReached_whileAnyPartitionIsBehind() {
        assertFalse(EndOffsets.reached(ENDS, Map.of(RESULTS_0, 10L, RESULTS_1, 0L, DLT_0, 2L)::get));
        assertFalse(EndOffsets.reached(ENDS, Map.of(RESULTS_0, 9L, RESULTS_1, 0L, DLT_0, 3L)::get));
    }

    @Test
    void reached_withNoPartitions() {
        assertTrue(EndOffsets.reached(Map.of(), p -> 0L));
    }

    @Test
    void catchUpGrace_isAtMostFiveSeconds_andNeverPastTheTimeout() {
        assertEquals(Duration.ofSeconds(5), EndOffsets.catchUpGrace(Duration.ofSeconds(58)));
        assertEquals(Duration.ofSeconds(5), EndOffsets.catchUpGrace(Duration.ofSeconds(5)));
        assertEquals(Duration.ofMillis(1200), EndOffsets.catchUpGrace(Duration.ofMillis(1200)));
        assertEquals(Duration.ZERO, EndOffsets.catchUpGrace(Duration.ZERO));
        assertEquals(Duration.ZERO, EndOffsets.catchUpGrace(Duration.ofMillis(-3)));
    }
}
