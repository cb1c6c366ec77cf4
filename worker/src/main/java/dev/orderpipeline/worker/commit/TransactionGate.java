package dev.orderpipeline.worker.commit;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.orderpipeline.worker.offsets.PartitionLease;
import dev.orderpipeline.worker.publish.OrderHandler;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps results out of a transaction while it commits. An order thread passes the gate from
 * just before it sends its result until the poll thread has been told the result is
 * acknowledged; the committer shuts the gate, waits until nobody is passing, and only then reads
 * the finished offsets. So the offsets committed with a transaction name exactly the results in
 * it: none sent after the offsets were read, none acknowledged but not yet counted.
 *
 * <p>Like a read-write lock with order threads sharing and the committer exclusive, except that
 * a pass may end on another thread (the producer's, when the ack arrives), which a
 * {@code ReentrantReadWriteLock} forbids. Shutting it waits only for acks under way, a few
 * milliseconds; the lock is held for a counter update, never while waiting for Kafka.
 *
 * <p>Thread-safe: order threads and the producer's I/O thread pass, the poll thread shuts and opens.
 */
public final class TransactionGate {

    /** At-least-once: no transaction to protect, passing costs nothing. */
    static final TransactionGate ALWAYS_OPEN = new TransactionGate(/* enabled= */ false);

    private final boolean enabled;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    @GuardedBy("lock")
    private boolean shut;
    @GuardedBy("lock")
    private int passing;

    private TransactionGate(boolean enabled) {
        this.enabled = enabled;
    }

    /** A gate for a transactional producer. */
    static TransactionGate forTransactions() {
        return new TransactionGate(/* enabled= */ true);
    }

    /**
     * One record's way to publishing its result: through the gate, then its partition's lease.
     * Created by the poll thread per record; used by the record's order thread, and released
     * where its result is reported, on whichever thread that is.
     */
    public Pass pass(PartitionLease lease) {
        return new Pass(lease);
    }

    /**
     * Shuts the gate and waits until no result is being sent or acknowledged. Poll thread.
     *
     * @throws InterruptedException if interrupted while waiting; the gate is open again then
     */
    void shut() throws InterruptedException {
        if (!enabled) {
            return;
        }
        lock.lock();
        try {
            shut = true;
            while (passing > 0) {
                changed.await();
            }
        } catch (InterruptedException e) {
            shut = false;
            changed.signalAll();
            throw e;
        } finally {
            lock.unlock();
        }
    }

    /** Lets results through again. Poll thread. */
    void open() {
        if (!enabled) {
            return;
        }
        lock.lock();
        try {
            shut = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the gate is waiting for a commit. For tests. */
    boolean isShut() {
        lock.lock();
        try {
            return shut;
        } finally {
            lock.unlock();
        }
    }

    /** Waits while shut; false if interrupted meanwhile (the flag is restored). */
    private boolean enter() {
        if (!enabled) {
            return true;
        }
        lock.lock();
        try {
            while (shut) {
                changed.await();
            }
            passing++;
            return true;
        } catch (InterruptedException e) {
            // Interrupted while a commit ran: the order was cancelled (its partition revoked or
            // its transaction aborted); it publishes nothing.
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void leave() {
        if (!enabled) {
            return;
        }
        lock.lock();
        try {
            if (--passing == 0) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** See {@link #pass}. */
    public final class Pass implements OrderHandler.PublishGate {

        private final PartitionLease lease;
        /** Set by the order thread when it gets through; cleared by whichever thread releases. */
        private final AtomicBoolean inside = new AtomicBoolean();

        private Pass(PartitionLease lease) {
            this.lease = lease;
        }

        /** Through the gate (waiting while a transaction commits), then the lease; false if either refuses. */
        @Override
        public boolean tryBeginPublish() {
            if (!enter()) {
                return false;
            }
            if (!lease.tryBeginPublish()) {
                leave();
                return false;
            }
            inside.set(true);
            return true;
        }

        /** The result is acknowledged (or failed): the lease may end. The gate is left in {@link #release()}. */
        @Override
        public void endPublish() {
            lease.endPublish();
        }

        /** The poll thread has been told how the record ended: leaves the gate, if inside. Idempotent. */
    public     void release() {
            if (inside.getAndSet(false)) {
                leave();
            }
        }
    }
}
