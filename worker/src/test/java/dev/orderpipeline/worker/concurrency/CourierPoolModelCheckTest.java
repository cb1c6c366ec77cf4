package dev.orderpipeline.worker.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.worker.steps.CourierPool;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Model-checks {@link CourierPool}: Lincheck runs the threads below under every interleaving it
 * can reach in the given number of invocations, so a race between taking and returning couriers
 * shows up as a failing interleaving with its trace instead of as a rare flake.
 */
@Timeout(60)
class CourierPoolModelCheckTest {

    // Two couriers, three orders: one order must find the pool empty in some interleavings, and
    // a courier returned by one order can be taken by the next, so ids and permits both move.
    private static final int POOL_SIZE = 2;

    @Test
    void concurrentTakeAndClose_neverHandsOutMoreThanSize_idsUnique_allComeBack() {
        Lincheck.runConcurrentTest(/* invocations= */ 100, () -> {
            CourierPool pool = new CourierPool(POOL_SIZE);
            Set<String> out = ConcurrentHashMap.newKeySet();
            Runnable order = () -> takeUseAndReturn(pool, out);

            Interleaved.runInParallel(order, order, order);

            assertEquals(0, pool.inUse(), "couriers in use after every lease closed");
            assertAllCouriersTakeableOnce(pool);
        });
    }

    // A lease closed by two threads at once (a compensation racing the step's own clean-up) must
    // return its courier once: twice would let the pool hand out more couriers than it has.
    @Test
    void leaseClosedTwiceConcurrently_returnsTheCourierOnce() {
        Lincheck.runConcurrentTest(/* invocations= */ 100, () -> {
            CourierPool pool = new CourierPool(POOL_SIZE);
            CourierPool.Lease lease;
            try {
                lease = pool.tryTake(Duration.ZERO);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            assertNotNull(lease, "a fresh pool has a courier");

            Interleaved.runInParallel(lease::close, lease::close);

            assertEquals(0, pool.inUse(), "couriers in use after the lease closed");
            assertAllCouriersTakeableOnce(pool);
        });
    }

    private static void takeUseAndReturn(CourierPool pool, Set<String> out) {
        CourierPool.Lease lease;
        try {
            lease = pool.tryTake(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("nobody interrupts these threads", e);
        }
        if (lease == null) {
            return;
        }
        assertTrue(out.add(lease.courierId()), "courier " + lease.courierId() + " handed to two orders at once");
        int taken = pool.inUse();
        assertTrue(taken <= POOL_SIZE, "inUse()=" + taken + " exceeds pool size " + POOL_SIZE);
        assertTrue(out.size() <= POOL_SIZE, "couriers out " + out + " exceed pool size " + POOL_SIZE);
        out.remove(lease.courierId());
        lease.close();
        lease.close(); // a second close must not return the courier twice
    }

    /** The queue of idle ids must match the permits: every courier comes out once, then none. */
    private static void assertAllCouriersTakeableOnce(CourierPool pool) {
        Set<String> ids = new HashSet<>();
        try {
            for (int i = 0; i < POOL_SIZE; i++) {
                CourierPool.Lease lease = pool.tryTake(Duration.ZERO);
                assertNotNull(lease, "courier " + (i + 1) + " of " + POOL_SIZE + " not takeable after all returned");
                assertTrue(ids.add(lease.courierId()), "courier " + lease.courierId() + " in the pool twice");
            }
            assertNull(pool.tryTake(Duration.ZERO), "pool handed out more couriers than its size");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
