package dev.orderpipeline.cli.verify;

import java.util.List;

/**
 * What {@link DeliveryCheck} found. An order id is the {@code orderId} of a record that
 * {@code OrderCodec.decodeOrder} reads as valid, or of an invalid record that still carries one;
 * an outcome is a readable {@code OrderOutcome} on the results topic read with read_committed.
 *
 * @param lostOrders                 valid orders with no committed outcome, each as its id and the
 *                                   address of its first record; an order is an id and a
 *                                   {@code createdAt}, answered by an outcome whose
 *                                   {@code orderCreatedAt} names it (an outcome that names none of
 *                                   the id's orders, such as a rejection, answers any one of them),
 *                                   so an id sent three times with new {@code createdAt}s owes three
 * @param malformedWithoutDeadLetter invalid records on the orders topic that no dead letter names
 *                                   in its {@code dlt.original.topic/partition/offset} headers
 * @param missingRejections          invalid records that carry an order id for which no committed
 *                                   outcome has status {@code rejected} (a warning, not a loss)
 * @param duplicatedOutcomes         ids with more committed outcomes than records on the orders
 *                                   topic carrying that id (a re-sent order owes a second outcome)
 * @param duplicatedDeadLetters      orders-topic addresses named by more than one dead letter
 * @param outOfOrder                 keys with at least two valid orders whose outcomes, taken in
 *                                   results-topic offset order and keeping only the first outcome
 *                                   of each order (matched by {@code orderCreatedAt} = the order's
 *                                   {@code createdAt}), do not follow the orders' offset order
 * @param abortedOutcomes            results-topic records read with read_uncommitted below the
 *                                   read_committed end offset (the last stable offset) that the
 *                                   read_committed read did not return: outcomes of aborted
 *                                   transactions
 * @param beyondStableOffset         results-topic records read with read_uncommitted at or past the
 *                                   read_committed end offset: held back by a transaction still
 *                                   open, or written between the two reads' start
 * @param outcomesWithoutOrder       committed outcomes whose id no record on the orders topic carries
 */
public record Verification(
        long orderRecords,
        long validOrders,
        long malformedRecords,
        long outcomeRecords,
        long unreadableOutcomes,
        long uncommittedOutcomeRecords,
        long deadLetters,
        long deadLettersForOtherTopics,
        List<String> lostOrders,
        List<String> malformedWithoutDeadLetter,
        List<String> missingRejections,
        List<Duplicate> duplicatedOutcomes,
        List<Duplicate> duplicatedDeadLetters,
        List<String> outOfOrder,
        List<String> abortedOutcomes,
        long beyondStableOffset,
        long outcomesWithoutOrder) {

    /**
     * Something delivered more often than owed.
     *
     * @param what  an order id, or the {@code topic/partition/offset} of a dead-lettered record
     * @param times how often it was delivered
     * @param owed  how often it should have been
     */
    public record Duplicate(String what, int times, int owed) {
    }

    public Verification {
        lostOrders = List.copyOf(lostOrders);
        malformedWithoutDeadLetter = List.copyOf(malformedWithoutDeadLetter);
        missingRejections = List.copyOf(missingRejections);
        duplicatedOutcomes = List.copyOf(duplicatedOutcomes);
        duplicatedDeadLetters = List.copyOf(duplicatedDeadLetters);
        outOfOrder = List.copyOf(outOfOrder);
        abortedOutcomes = List.copyOf(abortedOutcomes);
    }

    /** Valid orders without an outcome plus invalid records without a dead letter. */
    public long lost() {
        return lostOrders.size() + malformedWithoutDeadLetter.size();
    }

    /** Over-answered ids plus records dead-lettered more than once. */
    public long duplicated() {
        return duplicatedOutcomes.size() + duplicatedDeadLetters.size();
    }

    /** No order lost and, under {@link Guarantee#EXACTLY_ONCE}, none duplicated. */
    public boolean passed(Guarantee guarantee) {
        return lost() == 0 && (guarantee == Guarantee.AT_LEAST_ONCE || duplicated() == 0);
    }

    /** The delivery guarantee checked against. */
    public enum Guarantee {
        /** Duplicates are reported but allowed. */
        AT_LEAST_ONCE,
        /** Duplicates are failures. */
        EXACTLY_ONCE
    }
}
