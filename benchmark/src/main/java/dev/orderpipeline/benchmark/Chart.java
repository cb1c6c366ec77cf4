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
import java.util.List;
import java.util.Optional;

import javax.imageio.ImageIO;

/**
 * Throughput against the in-flight limit (log2 axis) as a PNG, with Java2D only: the W2 medians
 * and each round's value, the bound limit / mean step latency, and W0, W1, W3 as reference lines.
 */
final class Chart {

    private static final int WIDTH = 960;
    private static final int HEIGHT = 600;
    private static final int LEFT = 90;
    private static final int RIGHT = 230;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;
    private static final double Y_MIN = 10;

    private Chart() {
    }

    static void write(List<Summary> summaries, String title, Path png) throws IOException {
        // The line of W2 over the in-flight limit: default delivery, the build under test.
        List<Summary> w2 = summaries.stream().filter(s -> s.workload().name().startsWith("W2")
                        && !s.workload().transactional() && !s.workload().baseline() && !s.workload().traced())
                .sorted(java.util.Comparator.comparingInt(s -> s.workload().maxInFlight())).toList();
        Optional<Summary> w0 = find(summaries, "W0");
        Optional<Summary> w1 = find(summaries, "W1");
        Optional<Summary> w3 = find(summaries, "W3");

        // Log scale: W3 (tens of orders/s) and W0 (tens of thousands) on one readable chart.
        double yMax = 10;
        for (Summary s : summaries) {
            for (Result r : s.rounds()) {
                if (!Double.isNaN(r.ordersPerSecond())) {
                    yMax = Math.max(yMax, r.ordersPerSecond());
                }
            }
        }
        yMax = Math.pow(10, Math.ceil(Math.log10(yMax * 1.05)));
        double xMin = 16;
        double xMax = 4096;

        var image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            var plot = new Plot(xMin, xMax, yMax);

            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.setColor(new Color(225, 225, 225));
            for (double decade = Y_MIN; decade <= yMax; decade *= 10) {
                for (double m : new double[] {1, 2, 5}) {
                    double y = decade * m;
                    if (y > yMax * 1.001) {
                        break;
                    }
                    g.setColor(new Color(225, 225, 225));
                    g.draw(new Line2D.Double(LEFT, plot.y(y), WIDTH - RIGHT, plot.y(y)));
                    g.setColor(Color.DARK_GRAY);
                    g.drawString(Report.num(y), 10, (int) plot.y(y) + 4);
                }
            }
            g.setColor(new Color(225, 225, 225));
            for (double x = 32; x <= 2048; x *= 2) {
                g.draw(new Line2D.Double(plot.x(x), TOP, plot.x(x), HEIGHT - BOTTOM));
                g.setColor(Color.DARK_GRAY);
                g.drawString(Integer.toString((int) x), (int) plot.x(x) - 10, HEIGHT - BOTTOM + 18);
                g.setColor(new Color(225, 225, 225));
            }
            g.setColor(Color.BLACK);
            g.drawRect(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
            g.drawString("max in-flight (log scale)", LEFT + 250, HEIGHT - 25);
            g.drawString("orders/s (log scale)", 10, TOP - 12);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(title, LEFT, 25);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));

            int legendY = TOP + 10;
            if (!w2.isEmpty()) {
                double stepSeconds = w2.getFirst().workload().stepLatencyMs() / 1000.0;
                g.setColor(new Color(150, 150, 150));
                g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {2, 4}, 0));
                double prevX = xMin;
                for (double x = xMin * 1.05; x <= xMax; x *= 1.05) {
                    g.draw(new Line2D.Double(plot.x(prevX), plot.y(Math.min(yMax, prevX / stepSeconds)),
                            plot.x(x), plot.y(Math.min(yMax, x / stepSeconds))));
                    prevX = x;
                }
                legendY = legend(g, legendY, "limit / " + w2.getFirst().workload().stepLatencyMs() + " ms (bound)");
            }
            legendY = reference(g, plot, w0, new Color(200, 40, 40), "W0 raw pipe", legendY);
            legendY = reference(g, plot, w1, new Color(240, 140, 0), "W1 worker, 0 ms steps", legendY);
            legendY = reference(g, plot, w3, new Color(120, 60, 160), "W3 partition order, 20 ms", legendY);

            Color blue = new Color(30, 90, 200);
            g.setColor(blue);
            g.setStroke(new BasicStroke(2.5f));
            for (int i = 1; i < w2.size(); i++) {
                Summary a = w2.get(i - 1);
                Summary b = w2.get(i);
                g.draw(new Line2D.Double(plot.x(a.workload().maxInFlight()), plot.y(a.throughput()),
                        plot.x(b.workload().maxInFlight()), plot.y(b.throughput())));
            }
            for (Summary s : w2) {
                double x = plot.x(s.workload().maxInFlight());
                for (Result r : s.rounds()) {
                    g.drawOval((int) x - 3, (int) plot.y(r.ordersPerSecond()) - 3, 6, 6);
                }
                g.fillOval((int) x - 5, (int) plot.y(s.throughput()) - 5, 10, 10);
                g.drawString(Report.num(s.throughput()), (int) x + 8, (int) plot.y(s.throughput()) - 8);
            }
            legend(g, legendY, "W2 worker, 20 ms steps (median; rings: rounds)");
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", png.toFile());
    }

    private static int reference(Graphics2D g, Plot plot, Optional<Summary> s, Color color, String label, int legendY) {
        if (s.isEmpty() || Double.isNaN(s.get().throughput())) {
            return legendY;
        }
        g.setColor(color);
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {8, 5}, 0));
        double y = plot.y(s.get().throughput());
        g.draw(new Line2D.Double(LEFT, y, WIDTH - RIGHT, y));
        return legend(g, legendY, label + ": " + Report.num(s.get().throughput()));
    }

    private static int legend(Graphics2D g, int y, String text) {
        g.setStroke(new BasicStroke(2f));
        g.draw(new Line2D.Double(WIDTH - RIGHT + 10, y, WIDTH - RIGHT + 30, y));
        g.setColor(Color.BLACK);
        var lines = text.length() > 28 ? List.of(text.substring(0, text.lastIndexOf(' ', 28)), text.substring(text.lastIndexOf(' ', 28) + 1)) : List.of(text);
        for (int i = 0; i < lines.size(); i++) {
            g.drawString(lines.get(i), WIDTH - RIGHT + 36, y + 4 + i * 14);
        }
        return y + 12 + lines.size() * 14;
    }

    private static Optional<Summary> find(List<Summary> summaries, String name) {
        return summaries.stream().filter(s -> s.workload().name().equals(name)).findFirst();
    }

    /** 1, 2 or 5 times a power of ten, at least {@code v}. */
    static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private record Plot(double xMin, double xMax, double yMax) {
        double x(double value) {
            double f = (Math.log(value) - Math.log(xMin)) / (Math.log(xMax) - Math.log(xMin));
            return LEFT + f * (WIDTH - LEFT - RIGHT);
        }

        double y(double value) {
            double f = (Math.log(Math.max(Y_MIN, value)) - Math.log(Y_MIN)) / (Math.log(yMax) - Math.log(Y_MIN));
            return HEIGHT - BOTTOM - Math.min(1, f) * (HEIGHT - TOP - BOTTOM);
        }
    }
}
