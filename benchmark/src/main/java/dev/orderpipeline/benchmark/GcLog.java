package dev.orderpipeline.benchmark;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heap use read from a {@code -Xlog:gc} log: each pause line says {@code before->after(committed)}.
 * The largest "before" is the heap's high-water mark as seen at collections; the largest "after"
 * bounds what was still reachable (from above: a young collection leaves the old generation's
 * garbage in place). A pause whose evacuation failed is left out of "after": its heap is still
 * full of objects it could not copy, which says nothing about what was reachable. Full
 * collections are counted apart, and the largest heap after one is the live set at that moment.
 */
record GcLog(long collections, long peakBeforeMb, long maxAfterMb, long maxCommittedMb, long fullCollections,
             long maxAfterFullMb) {

    private static final Pattern PAUSE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    static GcLog parse(String log) {
        long collections = 0;
        long peak = 0;
        long after = 0;
        long committed = 0;
        long full = 0;
        long afterFull = 0;
        for (String line : log.split("\n")) {
            Matcher m = PAUSE.matcher(line);
            if (m.find()) {
                collections++;
                peak = Math.max(peak, Long.parseLong(m.group(1)));
                if (!line.contains("Evacuation Failure")) {
                    after = Math.max(after, Long.parseLong(m.group(2)));
                }
                committed = Math.max(committed, Long.parseLong(m.group(3)));
                if (line.contains("Pause Full")) {
                    full++;
                    afterFull = Math.max(afterFull, Long.parseLong(m.group(2)));
                }
            }
        }
        return new GcLog(collections, peak, after, committed, full, afterFull);
    }

    /** Heap used in MB from {@code jcmd <pid> GC.heap_info}, or -1 if it cannot be read. */
    static long usedFromHeapInfo(String heapInfo) {
        Matcher m = Pattern.compile("used (\\d+)K").matcher(heapInfo);
        return m.find() ? Long.parseLong(m.group(1)) / 1024 : -1;
    }
}
