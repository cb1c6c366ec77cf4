package dev.orderpipeline.cli;

import java.io.InputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * What the commands take from the world, passed in so tests control it.
 *
 * @param environment the process environment (for {@code KAFKA_BOOTSTRAP_SERVERS})
 * @param clock       stamps {@code createdAt} and the moment an answer is read
 * @param random      draws the seed when {@code --seed} is not given
 * @param stdin       read by {@code --file -}
 */
record CliContext(Map<String, String> environment, Clock clock, RandomGenerator random, InputStream stdin) {

    CliContext {
        environment = Map.copyOf(environment);
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(stdin, "stdin");
    }

    /** The real process: its environment, the system clock, a fresh random seed, System.in. */
    static CliContext system() {
        return new CliContext(System.getenv(), Clock.systemUTC(), RandomGenerator.getDefault(), System.in);
    }
}
