package dev.orderpipeline.cli;

import dev.orderpipeline.cli.orders.BadInputException;
import dev.orderpipeline.contract.Topics;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code order-cli}: the composition root. {@link #main} only wires the real world into
 * {@link #commandLine}, which tests call with their own {@link CliContext}.
 */
@Command(name = "order-cli",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Feed the orders topic and read what the order pipeline answers.",
        description = {"", "Run 'order-cli COMMAND --help' for a command's options."},
        subcommands = {SendCommand.class, RunCommand.class, FollowCommand.class, ReplayDltCommand.class,
                VerifyCommand.class, CommandLine.HelpCommand.class})
public final class OrderCli implements Runnable {

    private static final String NAME = "order-cli";

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine(CliContext.system()).execute(args));
    }

    /** The command line with every subcommand, exit code and handler configured. */
    static CommandLine commandLine(CliContext context) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine cli = new CommandLine(new OrderCli(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == SendCommand.class) {
                    return type.cast(new SendCommand(context));
                }
                if (type == RunCommand.class) {
                    return type.cast(new RunCommand(context));
                }
                if (type == FollowCommand.class) {
                    return type.cast(new FollowCommand(context));
                }
                if (type == ReplayDltCommand.class) {
                    return type.cast(new ReplayDltCommand(context));
                }
                if (type == VerifyCommand.class) {
                    return type.cast(new VerifyCommand(context));
                }
                return defaults.create(type);
            }
        });
        cli.setExitCodeExceptionMapper(ExitCode::codeOf);
        cli.setParameterExceptionHandler(OrderCli::usageError);
        cli.setExecutionExceptionHandler((failure, commandLine, parsed) -> failed(failure, commandLine));
        footer(cli);
        return cli;
    }

    /** Without a subcommand there is nothing to do: say so, like any other usage error. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: send, run, follow, replay-dlt or verify");
    }

    private static void footer(CommandLine cli) {
        Map<String, String> exitCodes = new LinkedHashMap<>();
        for (ExitCode code : ExitCode.values()) {
            exitCodes.put(String.format("%3d", code.code()), code.description());
        }
        for (CommandLine command : withSubcommands(cli)) {
            CommandLine.Model.UsageMessageSpec usage = command.getCommandSpec().usageMessage();
            List<String> footer = new ArrayList<>();
            footer.add("  " + Topics.BOOTSTRAP_ENV + "  brokers to use when --bootstrap-servers is not given");
            if (usage.footer().length > 0) {
                // A command's own footer holds its examples.
                footer.add("%nExamples:");
                footer.addAll(List.of(usage.footer()));
            }
            usage.exitCodeListHeading("%nExit codes:%n")
                    .exitCodeList(exitCodes)
                    .footerHeading("%nEnvironment:%n")
                    .footer(footer.toArray(String[]::new));
        }
    }

    private static List<CommandLine> withSubcommands(CommandLine cli) {
        List<CommandLine> all = new ArrayList<>();
        all.add(cli);
        all.addAll(cli.getSubcommands().values());
        return all;
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(NAME + ": " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitCode.USAGE.code();
    }

    private static int failed(Exception failure, CommandLine command) {
        PrintWriter err = command.getErr();
        ExitCode code = ExitCode.of(failure);
        switch (code) {
            case SOFTWARE -> {
                err.println(NAME + ": internal error: " + failure + " (please report this, with the trace below)");
                failure.printStackTrace(err);
            }
            case DATA_ERROR -> {
                err.println(NAME + ": " + failure.getMessage());
                if (failure instanceof BadInputException) {
                    err.println(NAME + ": nothing was sent; fix the lines, or send them as they are with --allow-invalid");
                }
            }
            default -> err.println(NAME + ": " + failure.getMessage());
        }
        err.flush();
        return code.code();
    }
}
