package dev.orderpipeline.worker.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PaymentLedgerTest {

    @Test
    void sameKeyTwice_chargesOnce_andAnswersTheSameAuthorisation() {
        PaymentLedger ledger = new PaymentLedger();

        String first = ledger.authorize("order-1:payment");
        String again = ledger.authorize("order-1:payment");

        assertEquals("auth-order-1:payment", first);
        assertEquals(first, again, "a repeated key answers the authorisation it holds");
        assertEquals(1, ledger.charges());
        assertEquals(1, ledger.charges("order-1:payment"));
    }

    @Test
    void voidThenReplay_chargesAgainUnderANewName_neverTwoHeldAtOnce() {
        PaymentLedger ledger = new PaymentLedger();
        ledger.authorize("o:payment");

        assertEquals("voided auth-o:payment", ledger.voidAuthorization("o:payment"));
        assertEquals("already voided auth-o:payment", ledger.voidAuthorization("o:payment"));
        assertFalse(ledger.holds("o:payment"));
        assertEquals("auth-o:payment-r2", ledger.authorize("o:payment"));
        assertEquals("auth-o:payment-r2", ledger.authorize("o:payment"));

        assertTrue(ledger.holds("o:payment"));
        assertEquals(2, ledger.charges("o:payment"));
        assertEquals(1, ledger.voids());
        assertEquals("nothing authorised under other:payment", ledger.voidAuthorization("other:payment"));
    }

    @Test
    void manyOrders_rememberOnlyTheCapacity_mostRecentKeysStillIdempotent() {
        PaymentLedger ledger = new PaymentLedger(1_000);

        for (int i = 0; i < 50_000; i++) {
            ledger.authorize("order-" + i + ":payment");
        }

        assertEquals(1_000, ledger.remembered());
        assertEquals("auth-order-49999:payment", ledger.authorize("order-49999:payment"));
        assertEquals(50_000, ledger.charges(), "the repeat of a recent key charged nothing");
        assertEquals(0, ledger.charges("order-0:payment"), "the oldest keys are forgotten");
        assertEquals(1, ledger.charges("order-49000:payment"), "the capacity most recent keys are remembered");
    }

    /**
     * Random authorisations, repeats and voids against a plain map that forgets its oldest keys:
     * the flat tables (probing, and moving entries back when the oldest is forgotten) must give
     * the same answers for every key, remembered or forgotten.
     */
    @Test
    void behavesLikeAMapThatForgetsItsOldestKeys() {
        int capacity = 257;
        PaymentLedger ledger = new PaymentLedger(capacity);
        Map<String, int[]> model = new LinkedHashMap<>(); // key -> {charges, voided}
        long modelCharges = 0;
        Random random = new Random(2026);
        Set<String> seen = new HashSet<>();
        for (int step = 0; step < 200_000; step++) {
            // Keys from a range a few times the capacity, so repeats, misses and evictions all happen.
            String key = "o-" + random.nextInt(capacity * 4) + ":payment";
            seen.add(key);
            int[] state = model.get(key);
            if (random.nextInt(4) == 0) {
                String expected = state == null ? "nothing authorised under " + key
                        : (state[1] == 1 ? "already voided " : "voided ") + name(key, state[0]);
                assertEquals(expected, ledger.voidAuthorization(key), "void at step " + step);
                if (state != null) {
                    state[1] = 1;
                }
                continue;
            }
            if (state == null) {
                if (model.size() == capacity) {
                    Iterator<String> oldest = model.keySet().iterator();
                    oldest.next();
                    oldest.remove();
                }
                state = new int[] {1, 0};
                model.put(key, state);
                modelCharges++;
            } else if (state[1] == 1) {
                state[0]++;
                state[1] = 0;
                modelCharges++;
            }
            assertEquals(name(key, state[0]), ledger.authorize(key), "authorise at step " + step);
        }
        assertEquals(modelCharges, ledger.charges());
        assertEquals(model.size(), ledger.remembered());
        for (String key : seen) {
            int[] state = model.get(key);
            assertEquals(state == null ? 0 : state[0], ledger.charges(key), key);
            assertEquals(state != null && state[1] == 0, ledger.holds(key), key);
        }
    }

    private static String name(String key, int charges) {
        return charges <= 1 ? "auth-" + key : "auth-" + key + "-r" + charges;
    }
}
