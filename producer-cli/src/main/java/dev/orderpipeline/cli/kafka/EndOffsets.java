package dev.orderpipeline.cli.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.TopicPartition;

/** Whether a consumer has read up to a fixed set of end offsets; pure, so it can be tested alone. */
public final class EndOffsets {

    /** The longest {@code run} keeps reading, once every order is answered, to catch up with the end offsets. */
    public static final Duration MAX_CATCH_UP = Duration.ofSeconds(5);

    private EndOffsets() {
    }

    /**
     * True when every partition's position is at or past its end offset (a position past it only
     * means more was written since the end offsets were fetched).
     *
     * @param ends     the end offset of each partition, as fetched at some moment
     * @param position the consumer's position (the offset of the next record it will read)
     */
    public static boolean reached(Map<TopicPartition, Long> ends, ToLongFunction<TopicPartition> position) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (position.applyAsLong(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * How long to keep reading once everything is answered: {@link #MAX_CATCH_UP}, but never past
     * what is left of the timeout; zero if nothing is left.
     */
    public static Duration catchUpGrace(Duration timeoutLeft) {
        if (timeoutLeft.isNegative()) {
            return Duration.ZERO;
        }
        return timeoutLeft.compareTo(MAX_CATCH_UP) < 0 ? timeoutLeft : MAX_CATCH_UP;
    }
}
