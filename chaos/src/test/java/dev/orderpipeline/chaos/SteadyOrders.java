package dev.orderpipeline.chaos;

import dev.orderpipeline.contract.OrderPlaced;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Orders placed at a steady rate from a thread of its own, as a shop sends them, so that faults
 * hit a worker that is busy rather than one that drains a backlog.
 */
final class SteadyOrders implements AutoCloseable {

    private final Thread sender;
    private final CompletableFuture<Integer> done = new CompletableFuture<>();

    private SteadyOrders(ChaosTopics topics, List<OrderPlaced> orders, int perSecond) {
        this.sender = Thread.ofPlatform().name("steady-orders").daemon().unstarted(() -> {
            try {
                int batch = Math.max(1, perSecond / 10);
                long start = System.nanoTime();
                for (int i = 0; i < orders.size(); i += batch) {
                    topics.sendAll(orders.subList(i, Math.min(orders.size(), i + batch)));
                    // Pacing, not synchronisation: the next tenth of a second's orders leave on time.
                    long due = start + TimeUnit.MILLISECONDS.toNanos(100L * (i / batch + 1));
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(Duration.ofNanos(wait));
                    }
                }
                done.complete(orders.size());
            } catch (InterruptedException e) {
                done.completeExceptionally(e);
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
    }

    /** Starts sending {@code orders} at {@code perSecond}. */
    static SteadyOrders start(ChaosTopics topics, List<OrderPlaced> orders, int perSecond) {
        SteadyOrders steady = new SteadyOrders(topics, orders, perSecond);
        steady.sender.start();
        return steady;
    }

    boolean finished() {
        return done.isDone();
    }

    /** Waits until every order is acknowledged; rethrows what stopped the sender. */
    int await(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        sender.interrupt();
        sender.join(Duration.ofSeconds(10));
    }
}
