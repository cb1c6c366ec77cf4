package dev.orderpipeline.worker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The exit-code table of docs/operations.md and the worker's {@link ExitCode} say the same. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ExitCodeTableTest {

    /** The JVM's code for SIGTERM before main runs: documented, but not the worker's to return. */
    private static final int SIGTERM_BEFORE_MAIN = 143;

    @Test
    void documentedTable_listsExactlyTheWorkersExitCodes() throws IOException {
        Map<Integer, String> documented = new TreeMap<>(documentedColumn(Path.of("..", "docs", "operations.md"), /* column= */ 1));
        documented.remove(SIGTERM_BEFORE_MAIN);

        Map<Integer, String> coded = Arrays.stream(ExitCode.values())
                .collect(Collectors.toMap(ExitCode::code, ExitCode::description, (a, b) -> a, TreeMap::new));

        assertEquals(coded.keySet(), documented.keySet(), () -> "docs/operations.md documents " + documented + "\nthe code has " + coded);
    }

    @Test
    void help_listsExactlyTheWorkersExitCodes() {
        Map<String, String> help = Main.commandLine(Map.of()).getCommandSpec().usageMessage().exitCodeList();

        assertEquals(Arrays.stream(ExitCode.values()).map(c -> Integer.toString(c.code())).toList(),
                help.keySet().stream().map(String::strip).toList());
    }

    /**
     * The rows of the table in "Shutdown and exit codes" whose {@code column} (1: order-worker,
     * 2: order-cli) is not "-", as code to text.
     */
    static Map<Integer, String> documentedColumn(Path page, int column) throws IOException {
        String text = Files.readString(page);
        int section = text.indexOf("\n## Shutdown and exit codes");
        assertTrue(section >= 0, () -> page + " has no section \"Shutdown and exit codes\"");
        int next = text.indexOf("\n## ", section + 1);
        int end = next < 0 ? text.length() : next;
        Map<Integer, String> rows = new TreeMap<>();
        for (String line : text.substring(section, end).lines().toList()) {
            String[] cells = line.split("\\|");
            // "| 0 | worker text | cli text |" splits into "", " 0 ", " worker text ", " cli text ".
            if (cells.length == 4 && cells[1].strip().matches("\\d+")) {
                String cell = cells[1 + column].strip();
                if (!cell.equals("-")) {
                    rows.put(Integer.parseInt(cells[1].strip()), cell);
                }
            }
        }
        return rows;
    }
}
