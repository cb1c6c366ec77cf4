package dev.orderpipeline.chaos;

import java.util.stream.Stream;

/** The delivery modes every scenario runs in: the one place to add a mode. */
final class Modes {

    private Modes() {
    }

    /**
     * The modes under test, as a JUnit {@code @MethodSource}. Exactly-once joins when the worker
     * has {@code --delivery}: until then the worker refuses the flag and only at-least-once runs.
     */
    static Stream<DeliveryMode> all() {
        return Stream.of(DeliveryMode.AT_LEAST_ONCE);
    }
}
