package dev.orderpipeline.worker.offsets;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * This worker's ownership of one partition, as seen by the order threads: results may be
 * published only while it lasts. Once the partition is revoked, an order that finishes late
 * publishes nothing (the new owner processes it, and publishing too would duplicate it), and
 * the orders still running are interrupted. Thread-safe: order threads publish, the poll thread
 * revokes.
 */
public final class PartitionLease {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition noPublisher = lock.newCondition();
    // Guarded by lock.
    @GuardedBy("lock")
    private boolean revoked;
    // Guarded by lock: order threads between tryBeginPublish() and endPublish().
    @GuardedBy("lock")
    private int publishing;
    // Order threads working on this partition's records, to interrupt on revocation.
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();

    public void enter(Thread thread) {
        running.add(thread);
    }

    public void exit(Thread thread) {
        running.remove(thread);
    }

    /** Whether publishing may start; if so, {@link #endPublish()} must follow. */
    public boolean tryBeginPublish() {
        lock.lock();
        try {
            if (revoked) {
                return false;
            }
            publishing++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    public void endPublish() {
        lock.lock();
        try {
            if (--publishing == 0) {
                noPublisher.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the lease: no publish starts from now on; waits up to {@code maxWait} for publishes
     * already under way to be acknowledged, then interrupts the orders still running.
     *
     * @return whether every publish under way ended in time
     */
    public boolean revoke(Duration maxWait) throws InterruptedException {
        boolean quiet;
        lock.lock();
        try {
            revoked = true;
            long nanos = maxWait.toNanos();
            while (publishing > 0 && nanos > 0) {
                nanos = noPublisher.awaitNanos(nanos);
            }
            quiet = publishing == 0;
        } finally {
            lock.unlock();
        }
        running.forEach(Thread::interrupt);
        return quiet;
    }

    boolean revoked() {
        lock.lock();
        try {
            return revoked;
        } finally {
            lock.unlock();
        }
    }
}
