package dev.orderpipeline.cli.orders;

import java.util.List;

/** Input that is not what the command needs: lines of a file that are not orders. Nothing was sent. */
public final class BadInputException extends Exception {

    /** How many problems the message lists; the rest are counted. */
    static final int LISTED = 20;

    /** One defective line, numbered from 1. */
    public record LineProblem(int line, String problem) {
    }

    private final transient List<LineProblem> problems;

    public BadInputException(String source, List<LineProblem> problems) {
        super(message(source, problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a BadInputException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<LineProblem> problems() {
        return problems;
    }

    private static String message(String source, List<LineProblem> problems) {
        if (problems.size() == 1) {
            LineProblem p = problems.getFirst();
            return source + ":" + p.line() + ": " + p.problem();
        }
        StringBuilder message = new StringBuilder()
                .append(source).append(": ").append(problems.size()).append(" lines are not orders");
        problems.stream().limit(LISTED).forEach(p ->
                message.append(System.lineSeparator()).append("  ").append(source).append(':').append(p.line())
                        .append(": ").append(p.problem()));
        if (problems.size() > LISTED) {
            message.append(System.lineSeparator()).append("  ... and ").append(problems.size() - LISTED).append(" more");
        }
        return message.toString();
    }
}
