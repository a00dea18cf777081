package rtunnel.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The numbers a server or client exposes for Prometheus: counters and gauges, each with fixed labels,
 * rendered in the Prometheus text format. Updating a counter is a {@code LongAdder} increment, cheap
 * enough for the relay's hot path.
 */
public final class Metrics {

    /** One family: a metric name with its help text, type, and one series per label set. */
    private record Family(String help, String type, Map<String, LongSupplier> series) {
    }

    private final Map<String, Family> families;
    /** Each counter by name and labels, so every caller asking for a series shares one counter. */
    private final Map<String, Counter> counters;
    /** Label pairs put before every series' own, in a {@link #labelled} view; empty in the metrics themselves. */
    private final List<String> common;

    public Metrics() {
        this(new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), List.of());
    }

    private Metrics(Map<String, Family> families, Map<String, Counter> counters, List<String> common) {
        this.families = families;
        this.counters = counters;
        this.common = common;
    }

    /**
     * A view of these metrics that puts the label pairs {@code labels} ("key", "value", ...) before the labels of
     * every series registered through it, as a client on several servers does with {@code server}.
     */
    public Metrics labelled(String... labels) {
        return new Metrics(families, counters, List.of(withCommon(labels)));
    }

    /** The counter {@code name} with these label pairs ("key", "value", ...), created on first use. */
    public Counter counter(String name, String help, String... own) {
        String[] labels = withCommon(own);
        Map<String, LongSupplier> series = series(name, help, "counter", labels);
        return counters.computeIfAbsent(name + labelText(labels), key -> {
            Counter counter = new Counter();
            series.put(labelText(labels), counter::value);
            return counter;
        });
    }

    /** A gauge {@code name} whose value {@code value} reads at scrape time. */
    public void gauge(String name, String help, LongSupplier value, String... own) {
        String[] labels = withCommon(own);
        series(name, help, "gauge", labels).put(labelText(labels), value);
    }

    /** Forgets the series of {@code name} with these labels (a tunnel that closed). */
    public void remove(String name, String... own) {
        String[] labels = withCommon(own);
        Family family = families.get(name);
        if (family != null) {
            family.series().remove(labelText(labels));
        }
        counters.remove(name + labelText(labels));
    }

    /** Every series, in the Prometheus text exposition format (version 0.0.4). */
    public String render() {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, Family> entry : new TreeMap<>(families).entrySet()) {
            Family family = entry.getValue();
            text.append("# HELP ").append(entry.getKey()).append(' ').append(family.help()).append('\n');
            text.append("# TYPE ").append(entry.getKey()).append(' ').append(family.type()).append('\n');
            for (Map.Entry<String, LongSupplier> series : new TreeMap<>(family.series()).entrySet()) {
                text.append(entry.getKey()).append(series.getKey()).append(' ')
                        .append(series.getValue().getAsLong()).append('\n');
            }
        }
        return text.toString();
    }

    private Map<String, LongSupplier> series(String name, String help, String type, String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in key-value pairs: " + List.of(labels));
        }
        Family family = families.computeIfAbsent(name, key -> new Family(help, type, new ConcurrentHashMap<>()));
        if (!family.type().equals(type)) {
            throw new IllegalArgumentException(name + " is a " + family.type() + ", not a " + type);
        }
        return family.series();
    }

    private String[] withCommon(String... labels) {
        List<String> all = new ArrayList<>(common);
        all.addAll(List.of(labels));
        return all.toArray(String[]::new);
    }

    /** {@code {key="value",...}} with values escaped as the format requires, or empty without labels. */
    static String labelText(String... labels) {
        if (labels.length == 0) {
            return "";
        }
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < labels.length; i += 2) {
            String value = labels[i + 1].replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
            pairs.add(labels[i] + "=\"" + value + "\"");
        }
        return "{" + String.join(",", pairs) + "}";
    }
}
