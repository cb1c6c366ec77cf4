package dev.orderpipeline.worker.steps;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A fixed number of couriers shared by every order the worker runs: the Go design's channel
 * semaphore. Taking one waits at most until the caller's deadline and gives up at once when
 * the caller is interrupted. Thread-safe.
 */
public final class CourierPool {

    private final int size;
    // Fair, so a burst of orders cannot starve an order that has been waiting since earlier.
    private final Semaphore free;
    // Holds exactly as many ids as the semaphore has permits, so a permit always finds an id.
    private final ConcurrentLinkedQueue<String> idle = new ConcurrentLinkedQueue<>();

    public CourierPool(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("courier pool size must be positive, got " + size);
        }
        this.size = size;
        this.free = new Semaphore(size, /* fair= */ true);
        for (int i = 1; i <= size; i++) {
            idle.add("courier-" + i);
        }
    }

    /** A courier taken from the pool; {@link #close()} gives it back, once. */
    public final class Lease implements AutoCloseable {
        private final String courierId;
        private final AtomicBoolean returned = new AtomicBoolean();

        private Lease(String courierId) {
            this.courierId = courierId;
        }

        public String courierId() {
            return courierId;
        }

        /** Returns the courier to the pool; later calls do nothing. */
        @Override
        public void close() {
            if (returned.compareAndSet(false, true)) {
                idle.add(courierId);
                free.release();
            }
        }
    }

    /**
     * Takes a courier, waiting up to {@code maxWait}.
     *
     * @return the lease, or {@code null} if none became free in time
     * @throws InterruptedException if interrupted while waiting; nothing is taken then
     */
    public Lease tryTake(Duration maxWait) throws InterruptedException {
        if (!free.tryAcquire(Math.max(0, maxWait.toNanos()), TimeUnit.NANOSECONDS)) {
            return null;
        }
        return new Lease(idle.remove());
    }

    public int size() {
        return size;
    }

    /** Couriers currently taken. */
    public int inUse() {
        return size - free.availablePermits();
    }
}
