package dev.orderpipeline.worker.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A stress test, not model checking: revoking while publishers are mid-publish makes {@code
 * PartitionLease.revoke} wait on its condition, a path Lincheck 3.7 cannot run (see
 * {@link PartitionLeaseModelCheckTest}). Many threads released together by a barrier, many
 * rounds; a failure here is a real race, a pass is evidence, not proof.
 */
@Timeout(60)
class PartitionLeaseStressTest {

    private static final String LEASE = "dev.orderpipeline.worker.offsets.PartitionLease";
    private static final Method TRY_BEGIN = Interleaved.method(LEASE, "tryBeginPublish");
    private static final Method END = Interleaved.method(LEASE, "endPublish");
    private static final Method REVOKE = Interleaved.method(LEASE, "revoke", Duration.class);
    private static final int PUBLISHERS = 6;
    private static final int ROUNDS = 1_000;
    private static final int PUBLISHES_PER_ROUND = 50;

    @Test
    void revokeWaitingForPublishers_returnsTrue_noPublishInProgressOrStartedAfter() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(PUBLISHERS + 1);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                runRound(threads, round);
            }
        } finally {
            threads.shutdownNow();
            assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS), "stress threads did not stop");
        }
    }

    private static void runRound(ExecutorService threads, int round) throws Exception {
        Object lease = newLease();
        CyclicBarrier start = new CyclicBarrier(PUBLISHERS + 1);
        AtomicInteger inProgress = new AtomicInteger();
        AtomicBoolean revokedQuietly = new AtomicBoolean();
        List<Future<?>> done = new ArrayList<>();
        for (int p = 0; p < PUBLISHERS; p++) {
            done.add(threads.submit(() -> {
                start.await();
                for (int i = 0; i < PUBLISHES_PER_ROUND; i++) {
                    if ((Boolean) Interleaved.invoke(TRY_BEGIN, lease)) {
                        assertFalse(revokedQuietly.get(), "round " + round + ": a publish began after revoke returned true");
                        inProgress.incrementAndGet();
                        Thread.onSpinWait();
                        inProgress.decrementAndGet();
                        Interleaved.invoke(END, lease);
                    }
                }
                return null;
            }));
        }
        Future<Boolean> revoke = threads.submit(() -> {
            start.await();
            boolean quiet = (Boolean) Interleaved.invoke(REVOKE, lease, Duration.ofSeconds(30));
            if (quiet) {
                revokedQuietly.set(true);
                assertEquals(0, inProgress.get(), "round " + round + ": revoke returned true with publishes in progress");
            }
            return quiet;
        });
        for (Future<?> publisher : done) {
            publisher.get(30, TimeUnit.SECONDS);
        }
        assertTrue(revoke.get(30, TimeUnit.SECONDS), "round " + round + ": revoke timed out although every publisher ended");
        assertFalse((Boolean) Interleaved.invoke(TRY_BEGIN, lease), "round " + round + ": a publish could begin after revoke");
    }

    private static Object newLease() throws ReflectiveOperationException {
        Constructor<?> constructor = Class.forName(LEASE).getDeclaredConstructor();
        constructor.setAccessible(true);
        return constructor.newInstance();
    }
}
