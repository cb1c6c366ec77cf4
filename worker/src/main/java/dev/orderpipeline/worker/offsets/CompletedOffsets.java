package dev.orderpipeline.worker.offsets;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * Offsets finished above a partition's committed offset, written into the commit's metadata so
 * that a restarted worker, or the partition's next owner, skips them instead of processing them
 * again. Orders finish out of order: without this, one slow order would send every order after
 * it through the pipeline a second time after a crash or a rebalance.
 *
 * <p>The format is {@code op1:} followed by URL-safe base64 of unsigned LEB128 varints: run
 * lengths that alternate between not-finished and finished, starting at the committed offset
 * (which is never finished, or it would have been committed). Runs compress the usual shape,
 * a few slow orders among many finished ones, into a few bytes. Anything unreadable decodes to
 * nothing finished.
 *
 * <p>The text always fits, because the worker starts no record {@link #WINDOW} or more offsets
 * above its partition's lowest unfinished one (the commit's base). Worst case: a varint of a
 * run of length {@code r} takes {@code ceil(bits(r) / 7)} bytes, never more than {@code r}, so
 * the runs up to the last finished offset take at most one byte per offset they cover, and
 * they cover at most {@code WINDOW} offsets. Every other offset finished reaches that bound
 * (runs of 1, 1, 1, ...). Should the text still not fit (metadata from an earlier owner that
 * kept no window), the farthest runs are left out and the caller is told: forgetting that an
 * offset was finished costs a duplicate, never a loss.
 *
 * <p>Pure functions of their arguments: any thread (the poll thread's offset tracker uses it).
 */
final class CompletedOffsets {

    static final String PREFIX = "op1:";
    /** Well below the broker's default {@code offset.metadata.max.bytes} of 4096. */
    static final int MAX_CHARS = 3_000;
    /**
     * How far above its partition's lowest unfinished offset a record may start: the most
     * offsets whose worst-case encoding (one byte each, see above) fits {@link #MAX_CHARS} as
     * base64 after the prefix. 2,247.
     */
    static final int WINDOW = (MAX_CHARS - PREFIX.length()) * 3 / 4;

    private CompletedOffsets() {
    }

    /**
     * @param base     the offset being committed
     * @param finished finished ranges {@code [start, end)} above {@code base}, sorted, not
     *                 overlapping, every start greater than {@code base}
     * @return the metadata; empty when nothing above {@code base} is finished
     */
    static String encode(long base, List<long[]> finished) {
        return encode(base, finished, dropped -> { });
    }

    /**
     * As {@link #encode(long, List)}; if the ranges do not fit, {@code truncated} is told how
     * many finished offsets were left out.
     */
    static String encode(long base, List<long[]> finished, LongConsumer truncated) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long cursor = base;
        int budget = MAX_CHARS - PREFIX.length();
        long dropped = 0;
        for (long[] range : finished) {
            if (range[0] <= cursor || range[1] <= range[0]) {
                throw new IllegalArgumentException("ranges must be sorted, disjoint and above " + base);
            }
            if (dropped > 0) {
                dropped += range[1] - range[0];
                continue;
            }
            ByteArrayOutputStream next = new ByteArrayOutputStream();
            writeVarint(next, range[0] - cursor);
            writeVarint(next, range[1] - range[0]);
            if (base64Length(bytes.size() + next.size()) > budget) {
                dropped = range[1] - range[0];
                continue;
            }
            bytes.writeBytes(next.toByteArray());
            cursor = range[1];
        }
        if (dropped > 0) {
            truncated.accept(dropped);
        }
        if (bytes.size() == 0) {
            return "";
        }
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toByteArray());
    }

    /**
     * The finished ranges recorded in {@code metadata} for a commit at {@code base}, as
     * start -> end (exclusive); empty if the metadata is absent, foreign or damaged.
     */
    static NavigableMap<Long, Long> decode(long base, String metadata) {
        NavigableMap<Long, Long> ranges = new TreeMap<>();
        if (metadata == null || !metadata.startsWith(PREFIX)) {
            return ranges;
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(metadata.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return ranges;
        }
        int[] position = {0};
        long cursor = base;
        while (position[0] < bytes.length) {
            long gap = readVarint(bytes, position);
            long length = readVarint(bytes, position);
            if (gap <= 0 || length <= 0) {
                return new TreeMap<>(); // damaged: trust nothing
            }
            cursor += gap;
            ranges.put(cursor, cursor + length);
            cursor += length;
        }
        return ranges;
    }

    /** Whether {@code offset} lies in one of {@code ranges}. */
    static boolean contains(NavigableMap<Long, Long> ranges, long offset) {
        Map.Entry<Long, Long> range = ranges.floorEntry(offset);
        return range != null && offset < range.getValue();
    }

    /** The ranges of {@code [from, to)} that are not in {@code notFinished} (sorted), appended to {@code out}. */
    static void finishedBetween(long from, long to, Iterable<Long> notFinished, List<long[]> out) {
        long cursor = from;
        for (long offset : notFinished) {
            if (offset >= to) {
                break;
            }
            if (offset > cursor) {
                out.add(new long[] {cursor, offset});
            }
            cursor = Math.max(cursor, offset + 1);
        }
        if (cursor < to) {
            out.add(new long[] {cursor, to});
        }
    }

    static List<long[]> ranges(NavigableMap<Long, Long> map) {
        List<long[]> list = new ArrayList<>(map.size());
        map.forEach((start, end) -> list.add(new long[] {start, end}));
        return list;
    }

    private static int base64Length(int bytes) {
        return (bytes * 4 + 2) / 3;
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    private static long readVarint(byte[] bytes, int[] position) {
        long value = 0;
        for (int shift = 0; shift < 64 && position[0] < bytes.length; shift += 7) {
            byte b = bytes[position[0]++];
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        return -1; // truncated or too long
    }
}
