package dev.orderpipeline.cli.orders;

/**
 * Where the orders to send come from. Iterating is cheap and repeatable for a generated source
 * (orders are made on the fly) and reads nothing for a file (it was read and checked up front).
 */
public sealed interface OrderSource extends Iterable<OutgoingOrder> permits GeneratedOrders, JsonLinesOrders {

    /** How many records iterating gives. */
    int size();

    /** One line for the summary: what was sent, and how to send the same again. */
    String describe();
}
