package dev.orderpipeline.benchmark;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;

/**
 * The sweep's chart as a PNG, Java2D only: orders/s (log axis) against the step latency, one
 * category per latency (0 ms has no place on a log axis); one line per engine and in-flight limit,
 * the worker in blues, Parallel Consumer in oranges, a darker shade for a larger limit.
 */
final class SweepChart {

    private static final int WIDTH = 960;
    private static final int HEIGHT = 600;
    private static final int LEFT = 90;
    private static final int RIGHT = 260;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;
    private static final double Y_MIN = 10;

    private SweepChart() {
    }

    static void write(List<Summary> summaries, String title, Path png) throws IOException {
        List<Integer> latencies = summaries.stream().map(s -> s.workload().stepLatencyMs()).distinct().sorted().toList();
        // One line per engine and limit, in a stable order for the legend.
        Map<String, List<Summary>> lines = new TreeMap<>(summaries.stream().collect(Collectors.groupingBy(
                s -> s.workload().engine().ordinal() + String.format("%08d", s.workload().maxInFlight()))));
        double yMax = 100;
        for (Summary s : summaries) {
            if (!Double.isNaN(s.throughput())) {
                yMax = Math.max(yMax, s.throughput());
            }
        }
        yMax = Math.pow(10, Math.ceil(Math.log10(yMax * 1.05)));
        double top = yMax;

        var image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            for (double decade = Y_MIN; decade <= yMax; decade *= 10) {
                for (double m : new double[] {1, 2, 5}) {
                    double v = decade * m;
                    if (v > yMax * 1.001) {
                        break;
                    }
                    g.setColor(new Color(225, 225, 225));
                    g.draw(new Line2D.Double(LEFT, y(v, top), WIDTH - RIGHT, y(v, top)));
                    g.setColor(Color.DARK_GRAY);
                    g.drawString(Report.num(v), 10, (int) y(v, top) + 4);
                }
            }
            for (int i = 0; i < latencies.size(); i++) {
                g.setColor(Color.DARK_GRAY);
                g.drawString(latencies.get(i) + " ms", (int) x(i, latencies.size()) - 14, HEIGHT - BOTTOM + 18);
            }
            g.setColor(Color.BLACK);
            g.drawRect(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
            g.drawString("step latency (three steps at once, jitter a quarter of it)", LEFT + 150, HEIGHT - 25);
            g.drawString("orders/s (log scale)", 10, TOP - 12);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(title, LEFT, 25);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));

            int legendY = TOP + 10;
            int shade = 0;
            Engine previous = null;
            for (List<Summary> line : lines.values()) {
                List<Summary> points = line.stream().sorted(Comparator.comparingInt(s -> s.workload().stepLatencyMs())).toList();
                Workload first = points.getFirst().workload();
                shade = first.engine() == previous ? shade + 1 : 0;
                previous = first.engine();
                Color color = color(first.engine(), shade);
                g.setColor(color);
                g.setStroke(first.engine() == Engine.WORKER ? new BasicStroke(2.5f)
                        : new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {9, 5}, 0));
                for (int i = 1; i < points.size(); i++) {
                    Summary a = points.get(i - 1);
                    Summary b = points.get(i);
                    if (!Double.isNaN(a.throughput()) && !Double.isNaN(b.throughput())) {
                        g.draw(new Line2D.Double(x(latencies.indexOf(a.workload().stepLatencyMs()), latencies.size()),
                                y(a.throughput(), top), x(latencies.indexOf(b.workload().stepLatencyMs()), latencies.size()),
                                y(b.throughput(), top)));
                    }
                }
                for (Summary s : points) {
                    if (!Double.isNaN(s.throughput())) {
                        double px = x(latencies.indexOf(s.workload().stepLatencyMs()), latencies.size());
                        g.fillOval((int) px - 5, (int) y(s.throughput(), top) - 5, 10, 10);
                        g.drawString(Report.num(s.throughput()), (int) px + 8, (int) y(s.throughput(), top) - 8);
                    }
                }
                legendY = legend(g, legendY, first.engine().label() + ", " + first.maxInFlight() + " in flight");
                g.setColor(color);
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", png.toFile());
    }

    private static Color color(Engine engine, int shade) {
        int step = Math.min(shade, 3) * 35;
        return engine == Engine.PARALLEL_CONSUMER ? new Color(245 - step, 150 - step, 20) : new Color(70, 140 - step, 235 - step);
    }

    private static int legend(Graphics2D g, int y, String text) {
        g.setStroke(new BasicStroke(2.5f));
        g.draw(new Line2D.Double(WIDTH - RIGHT + 10, y, WIDTH - RIGHT + 30, y));
        g.setColor(Color.BLACK);
        g.drawString(text, WIDTH - RIGHT + 36, y + 4);
        return y + 20;
    }

    /** Category {@code i} of {@code n}, evenly spaced with half a slot at either end. */
    private static double x(int i, int n) {
        return LEFT + (i + 0.5) * (WIDTH - LEFT - RIGHT) / n;
    }

    private static double y(double value, double yMax) {
        double f = (Math.log(Math.max(Y_MIN, value)) - Math.log(Y_MIN)) / (Math.log(yMax) - Math.log(Y_MIN));
        return HEIGHT - BOTTOM - Math.min(1, f) * (HEIGHT - TOP - BOTTOM);
    }
}
