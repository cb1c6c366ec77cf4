package dev.orderpipeline.worker.steps;

import dev.orderpipeline.contract.Money;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulated payment provider's book of authorisations, keyed by idempotency key: what makes
 * a retried or replayed payment harmless. An authorisation for a key that already holds one
 * answers that one and charges nothing; a void releases it, and voiding again does nothing.
 * After a void, the same key may be authorised again (the order was replayed): that is a new
 * charge, but never two held at once. Thread-safe: order threads of many orders use it at once.
 *
 * <p>Like a real provider, it remembers keys for a window only (real ones keep them for about a
 * day): the {@code capacity} most recent keys. Without a bound a long-running worker would keep
 * one entry per order it ever paid, a million of them after a million orders.
 */
public final class PaymentLedger {

    /** One key's authorisation. {@code taken} counts how often money was taken for the key. */
    private record Entry(String reference, Money amount, boolean voided, int taken) {
    }

    /** Keys remembered by default: far more than orders in flight, a few MB of heap. */
    public static final int DEFAULT_CAPACITY = 100_000;

    private final int capacity;
    private final ConcurrentHashMap<String, Entry> byKey = new ConcurrentHashMap<>();
    /** Keys in the order they were first authorised; the oldest is forgotten first. */
    private final ConcurrentLinkedQueue<String> arrivals = new ConcurrentLinkedQueue<>();
    private final AtomicInteger remembered = new AtomicInteger();
    private final AtomicLong charges = new AtomicLong();
    private final AtomicLong voids = new AtomicLong();

    /** Remembers the {@link #DEFAULT_CAPACITY} most recent keys. */
    public PaymentLedger() {
        this(DEFAULT_CAPACITY);
    }

    /** Remembers the {@code capacity} most recent keys. */
    public PaymentLedger(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Authorises {@code amount} under {@code key} unless the key holds an authorisation already.
     *
     * @param reference the reference of a fresh authorisation
     * @return the reference of the authorisation the key holds now
     */
    String authorize(String key, Money amount, String reference) {
        boolean[] added = new boolean[1];
        Entry entry = byKey.compute(key, (k, held) -> {
            if (held != null && !held.voided()) {
                return held;
            }
            added[0] = held == null;
            int taken = held == null ? 1 : held.taken() + 1;
            charges.incrementAndGet();
            return new Entry(taken == 1 ? reference : reference + "-r" + taken, amount, false, taken);
        });
        if (added[0]) {
            arrivals.add(key);
            if (remembered.incrementAndGet() > capacity) {
                String oldest = arrivals.poll();
                if (oldest != null) {
                    byKey.remove(oldest);
                    remembered.decrementAndGet();
                }
            }
        }
        return entry.reference();
    }

    /**
     * Releases the authorisation held under {@code key}, if any.
     *
     * @return a note for the outcome: what was voided, or that nothing was held
     */
    String voidAuthorization(String key) {
        String[] note = new String[1];
        byKey.computeIfPresent(key, (k, held) -> {
            if (held.voided()) {
                note[0] = "already voided " + held.reference();
                return held;
            }
            voids.incrementAndGet();
            note[0] = "voided " + held.reference();
            return new Entry(held.reference(), held.amount(), true, held.taken());
        });
        return note[0] == null ? "nothing authorised under " + key : note[0];
    }

    /** How often money was taken, over all keys. */
    public long charges() {
        return charges.get();
    }

    /** How often money was taken under {@code key}: 1 for an order paid once, however often it was retried. */
    public int charges(String key) {
        Entry entry = byKey.get(key);
        return entry == null ? 0 : entry.taken();
    }

    /** How many authorisations were voided. */
    public long voids() {
        return voids.get();
    }

    /** How many keys the ledger remembers now: never more than its capacity. */
    public int remembered() {
        return byKey.size();
    }

    /** Whether {@code key} holds an authorisation that is not voided. */
    public boolean holds(String key) {
        Entry entry = byKey.get(key);
        return entry != null && !entry.voided();
    }
}
