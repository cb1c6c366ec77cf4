package dev.orderpipeline.worker.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.Money;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PaymentLedgerTest {

    private static final Money AMOUNT = new Money(1_250, "EUR");

    @Test
    void sameKeyTwice_chargesOnce_andAnswersTheFirstAuthorisation() {
        PaymentLedger ledger = new PaymentLedger();

        String first = ledger.authorize("order-1:payment", AMOUNT, "auth-1");
        String again = ledger.authorize("order-1:payment", AMOUNT, "auth-2");

        assertEquals("auth-1", again, "a repeated key answers the authorisation it holds");
        assertEquals(first, again);
        assertEquals(1, ledger.charges());
    }

    @Test
    void manyOrders_rememberOnlyTheCapacity_mostRecentKeysStillIdempotent() {
        PaymentLedger ledger = new PaymentLedger(1_000);

        for (int i = 0; i < 50_000; i++) {
            ledger.authorize("order-" + i + ":payment", AMOUNT, "auth-" + i);
        }

        assertTrue(ledger.remembered() <= 1_000, () -> "remembered " + ledger.remembered() + " keys, capacity 1000");
        assertEquals("auth-49999", ledger.authorize("order-49999:payment", AMOUNT, "auth-new"),
                "a recent key still answers its authorisation");
        assertEquals(50_000, ledger.charges(), "the repeat of a recent key charged again");
    }
}
