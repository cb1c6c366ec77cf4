package dev.orderpipeline.worker.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CourierPoolTest {

    @Test
    void takesDistinctCouriers_upToTheSize_thenGivesUpAfterMaxWait() throws Exception {
        CourierPool pool = new CourierPool(2);
        CourierPool.Lease a = pool.tryTake(Duration.ZERO);
        CourierPool.Lease b = pool.tryTake(Duration.ZERO);
        assertNotNull(a);
        assertNotNull(b);
        assertNotEquals(a.courierId(), b.courierId());
        assertEquals(2, pool.inUse());

        assertNull(pool.tryTake(Duration.ofMillis(50)), "a third courier out of a pool of two");

        a.close();
        a.close(); // idempotent: must not free two couriers
        assertEquals(1, pool.inUse());
        assertNotNull(pool.tryTake(Duration.ZERO));
        assertNull(pool.tryTake(Duration.ZERO));
    }

    @Test
    void waitingForACourier_endsAtOnceWhenInterrupted_andTakesNothing() throws Exception {
        CourierPool pool = new CourierPool(1);
        CourierPool.Lease held = pool.tryTake(Duration.ZERO);
        CompletableFuture<Throwable> result = new CompletableFuture<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                pool.tryTake(Duration.ofMinutes(10));
                result.complete(null);
            } catch (Throwable t) {
                result.complete(t);
            }
        });
        await("waiter blocked on the pool").until(() -> waiter.getState() == Thread.State.TIMED_WAITING
                || waiter.getState() == Thread.State.WAITING);
        waiter.interrupt();

        assertTrue(result.get() instanceof InterruptedException, () -> "got " + result.join());
        held.close();
        assertEquals(0, pool.inUse(), "an interrupted wait took a courier");
    }

    @Test
    void aReturnedCourier_goesToTheOrderWaitingForIt() throws Exception {
        CourierPool pool = new CourierPool(1);
        CourierPool.Lease held = pool.tryTake(Duration.ZERO);
        CompletableFuture<CourierPool.Lease> next = CompletableFuture.supplyAsync(() -> {
            try {
                return pool.tryTake(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        held.close();
        CourierPool.Lease lease = next.get();
        assertNotNull(lease, "the waiting order got no courier");
        assertEquals(held.courierId(), lease.courierId());
    }
}
