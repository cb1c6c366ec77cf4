package dev.orderpipeline.worker.steps;

import dev.orderpipeline.contract.Money;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulated payment provider's book of authorisations, keyed by idempotency key: what makes
 * a retried or replayed payment harmless. An authorisation for a key that already holds one
 * answers that one and charges nothing; a void releases it, and voiding again does nothing.
 * After a void, the same key may be authorised again (the order was replayed): that is a new
 * charge, but never two held at once. Thread-safe: order threads of many orders use it at once.
 */
public final class PaymentLedger {

    /** One key's authorisation. {@code taken} counts how often money was taken for the key. */
    private record Entry(String reference, Money amount, boolean voided, int taken) {
    }

    private final ConcurrentHashMap<String, Entry> byKey = new ConcurrentHashMap<>();
    private final AtomicLong charges = new AtomicLong();
    private final AtomicLong voids = new AtomicLong();

    /**
     * Authorises {@code amount} under {@code key} unless the key holds an authorisation already.
     *
     * @param reference the reference of a fresh authorisation
     * @return the reference of the authorisation the key holds now
     */
    String authorize(String key, Money amount, String reference) {
        Entry entry = byKey.compute(key, (k, held) -> {
            if (held != null && !held.voided()) {
                return held;
            }
            int taken = held == null ? 1 : held.taken() + 1;
            charges.incrementAndGet();
            return new Entry(taken == 1 ? reference : reference + "-r" + taken, amount, false, taken);
        });
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

    /** Whether {@code key} holds an authorisation that is not voided. */
    public boolean holds(String key) {
        Entry entry = byKey.get(key);
        return entry != null && !entry.voided();
    }
}
