package dev.orderpipeline.cli.orders;

import dev.orderpipeline.contract.DecodedOrder;
import dev.orderpipeline.contract.OrderCodec;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Orders read from JSON lines: one {@code OrderPlaced} per line, blank lines skipped. The whole
 * input is read and checked before anything is sent, so a bad line never leaves half a file on
 * the topic. Lines are handled as bytes, so a line that is not UTF-8 can still be sent on purpose.
 */
public final class JsonLinesOrders implements OrderSource {

    /**
     * What to do with the lines.
     *
     * @param sendInvalid   send lines that are not orders as they are (key: their orderId, else
     *                      {@code line-<n>}), for testing the dead-letter path; otherwise they are errors
     * @param keepCreatedAt send valid lines byte for byte; otherwise they are re-encoded with
     *                      {@code createdAt} set to the send time, so latency is measured from the send
     */
    public record Policy(boolean sendInvalid, boolean keepCreatedAt) {
    }

    private static final OrderCodec CODEC = new OrderCodec();

    private final String source;
    private final List<OutgoingOrder> orders;

    private JsonLinesOrders(String source, List<OutgoingOrder> orders) {
        this.source = source;
        this.orders = List.copyOf(orders);
    }

    /**
     * Reads every line of {@code in} (not closed).
     *
     * @param source the name used in messages: the file name, or {@code stdin}
     * @throws BadInputException listing every line that is not an order or repeats an order id,
     *                           unless {@link Policy#sendInvalid} lets them through
     */
    public static JsonLinesOrders read(InputStream in, String source, Policy policy) throws IOException, BadInputException {
        List<OutgoingOrder> orders = new ArrayList<>();
        List<BadInputException.LineProblem> problems = new ArrayList<>();
        Map<String, Integer> lineOfKey = new HashMap<>();
        int lineNumber = 0;
        for (byte[] line : lines(in.readAllBytes())) {
            lineNumber++;
            if (isBlank(line)) {
                continue;
            }
            OutgoingOrder order = switch (CODEC.decodeOrder(line)) {
                case DecodedOrder.Valid valid -> policy.keepCreatedAt()
                        ? new OutgoingOrder.Verbatim(valid.order().orderId(), line, Scenario.of(valid.order().simulation()))
                        : new OutgoingOrder.Stamped(valid.order(), Scenario.of(valid.order().simulation()));
                case DecodedOrder.Invalid invalid when policy.sendInvalid() ->
                        new OutgoingOrder.Verbatim(invalid.orderId().orElse("line-" + lineNumber), line, Scenario.MALFORMED);
                case DecodedOrder.Invalid invalid -> {
                    problems.add(new BadInputException.LineProblem(lineNumber, invalid.problem() + ": " + invalid.reason()));
                    yield null;
                }
            };
            if (order == null) {
                continue;
            }
            Integer firstLine = lineOfKey.putIfAbsent(order.key(), lineNumber);
            if (firstLine != null && !policy.sendInvalid()) {
                problems.add(new BadInputException.LineProblem(lineNumber,
                        "DUPLICATE_ID: orderId " + order.key() + " is already used on line " + firstLine));
                continue;
            }
            orders.add(order);
        }
        if (!problems.isEmpty()) {
            throw new BadInputException(source, problems);
        }
        return new JsonLinesOrders(source, orders);
    }

    @Override
    public int size() {
        return orders.size();
    }

    @Override
    public String describe() {
        return orders.size() + " orders from " + source;
    }

    @Override
    public Iterator<OutgoingOrder> iterator() {
        return orders.iterator();
    }

    /** Splits on LF and drops a CR before it, so files written on Windows read the same. */
    private static List<byte[]> lines(byte[] all) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= all.length; i++) {
            if (i == all.length || all[i] == '\n') {
                int end = i > start && all[i - 1] == '\r' ? i - 1 : i;
                if (i < all.length || end > start) {
                    lines.add(Arrays.copyOfRange(all, start, end));
                }
                start = i + 1;
            }
        }
        return lines;
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
