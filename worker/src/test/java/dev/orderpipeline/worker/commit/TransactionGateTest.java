package dev.orderpipeline.worker.commit;

import dev.orderpipeline.worker.offsets.PartitionLease;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gate that keeps results out of a transaction while it commits. */
@Timeout(30)
class TransactionGateTest {

    private static final long WAIT_SECONDS = 10;

    @Test
    void shut_waitsForAResultUnderWay_untilThePollThreadWasToldOfIt() throws Exception {
        TransactionGate gate = TransactionGate.forTransactions();
        TransactionGate.Pass pass = gate.pass(new PartitionLease());
        assertTrue(pass.tryBeginPublish());
        pass.endPublish(); // acknowledged, but not reported to the poll thread yet

        CompletableFuture<Void> shut = CompletableFuture.runAsync(() -> shutQuietly(gate));

        // It cannot return while the result is not counted: a commit now would miss its offset.
        assertThrowsTimeout(shut, Duration.ofMillis(300));
        pass.release();
        shut.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertTrue(gate.isShut());
    }

    @Test
    void whileShut_aResultWaits_andIsSentOnlyAfterTheCommit() throws Exception {
        TransactionGate gate = TransactionGate.forTransactions();
        gate.shut();
        TransactionGate.Pass pass = gate.pass(new PartitionLease());

        CompletableFuture<Boolean> begun = CompletableFuture.supplyAsync(pass::tryBeginPublish);

        assertThrowsTimeout(begun, Duration.ofMillis(300));
        gate.open();
        assertTrue(begun.get(WAIT_SECONDS, TimeUnit.SECONDS));
        pass.endPublish();
        pass.release();
        gate.shut(); // nobody inside: returns at once
    }

    @Test
    void aResultWaitingAtTheShutGate_whenItsOrderIsCancelled_isNotSent_andKeepsTheInterrupt() throws Exception {
        TransactionGate gate = TransactionGate.forTransactions();
        gate.shut();
        PartitionLease lease = new PartitionLease();
        TransactionGate.Pass pass = gate.pass(lease);
        CountDownLatch entered = new CountDownLatch(1);
        boolean[] got = new boolean[2];
        Thread order = Thread.ofVirtual().start(() -> {
            lease.enter(Thread.currentThread());
            entered.countDown();
            got[0] = pass.tryBeginPublish();
            got[1] = Thread.currentThread().isInterrupted();
        });
        entered.await();

        // An abort revokes the leases while the gate is shut: that interrupts the waiting order.
        assertTrue(lease.revoke(Duration.ZERO));
        order.join(Duration.ofSeconds(WAIT_SECONDS));

        assertFalse(order.isAlive(), "the order thread is still waiting at the gate");
        assertFalse(got[0], "a cancelled order published its result");
        assertTrue(got[1], "the interrupt was swallowed");
        pass.release(); // never inside: leaving must not unbalance the gate
        gate.open();
        gate.shut();
    }

    @Test
    void aRevokedLease_refusesThePublish_andLeavesTheGate() throws Exception {
        TransactionGate gate = TransactionGate.forTransactions();
        PartitionLease lease = new PartitionLease();
        lease.revoke(Duration.ZERO);
        TransactionGate.Pass pass = gate.pass(lease);

        assertFalse(pass.tryBeginPublish());

        CompletableFuture.runAsync(() -> shutQuietly(gate)).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void releasingTwice_leavesOnce() throws Exception {
        TransactionGate gate = TransactionGate.forTransactions();
        TransactionGate.Pass first = gate.pass(new PartitionLease());
        TransactionGate.Pass second = gate.pass(new PartitionLease());
        assertTrue(first.tryBeginPublish());
        assertTrue(second.tryBeginPublish());

        first.release();
        first.release();

        // The second is still inside: shutting must still wait for it.
        CompletableFuture<Void> shut = CompletableFuture.runAsync(() -> shutQuietly(gate));
        assertThrowsTimeout(shut, Duration.ofMillis(300));
        second.release();
        shut.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void atLeastOnce_gateNeverWaits() throws Exception {
        TransactionGate gate = TransactionGate.ALWAYS_OPEN;
        TransactionGate.Pass pass = gate.pass(new PartitionLease());
        assertTrue(pass.tryBeginPublish());

        gate.shut(); // a result inside does not hold it
        assertTrue(gate.pass(new PartitionLease()).tryBeginPublish(), "a shut always-open gate held a result back");
        assertFalse(gate.isShut());
        pass.release();
    }

    @Test
    void interruptedWhileShutting_opensTheGateAgain() throws Exception {
        TransactionGate gate = TransactionGate.forTransactions();
        TransactionGate.Pass inside = gate.pass(new PartitionLease());
        assertTrue(inside.tryBeginPublish());
        Thread.currentThread().interrupt();

        boolean interrupted = false;
        try {
            gate.shut();
        } catch (InterruptedException e) {
            interrupted = true;
        }

        assertTrue(interrupted, "shut() returned although a result was under way");
        assertFalse(gate.isShut(), "a shut gate left behind would hold every order forever");
        assertEquals(true, gate.pass(new PartitionLease()).tryBeginPublish());
    }

    private static void shutQuietly(TransactionGate gate) {
        try {
            gate.shut();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code future} is still not done after {@code wait}: it is blocked, as it must be. */
    private static void assertThrowsTimeout(CompletableFuture<?> future, Duration wait) throws Exception {
        try {
            future.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("finished although it should be waiting");
        } catch (TimeoutException expected) {
            // still waiting
        }
    }
}
