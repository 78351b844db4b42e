package io.clfs.connect.source;

import java.util.regex.Pattern;

/**
 * The replay topic template: {@code ${topic}} and {@code ${partition}} are replaced by a record's
 * origin topic and partition. Checked when configured, so that a bad template is named by the
 * validate endpoint rather than by a producer error later.
 */
public final class TopicTemplate {
    /** Kafka's legal topic characters and length. */
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]+");
    private static final int MAX_LENGTH = 249;

    private final String template;

    public TopicTemplate(String template) {
        String problem = problem(template);
        if (problem != null) {
            throw new IllegalArgumentException("replay topic template '" + template + "' " + problem);
        }
        this.template = template.trim();
    }

    /** The replay topic of a record from {@code topic}-{@code partition}. */
    public String render(String topic, int partition) {
        String t = template.replace(ClfsSourceConfig.TOPIC_PLACEHOLDER, topic)
                .replace(ClfsSourceConfig.PARTITION_PLACEHOLDER, Integer.toString(partition));
        if (t.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("replay topic '" + t + "' (from template '" + template + "') is longer"
                    + " than Kafka's " + MAX_LENGTH + " characters");
        }
        return t;
    }

    /** What is wrong with a template, or null when it is fine. */
    static String problem(String template) {
        if (template == null || template.isBlank()) {
            return "must not be empty";
        }
        String rest = template.trim().replace(ClfsSourceConfig.TOPIC_PLACEHOLDER, "t")
                .replace(ClfsSourceConfig.PARTITION_PLACEHOLDER, "0");
        if (rest.contains("${")) {
            return "has a placeholder other than " + ClfsSourceConfig.TOPIC_PLACEHOLDER + " and "
                    + ClfsSourceConfig.PARTITION_PLACEHOLDER;
        }
        if (!LEGAL.matcher(rest).matches()) {
            return "may hold only ASCII letters, digits, '.', '_' and '-' besides the placeholders";
        }
        if (rest.equals(".") || rest.equals("..")) {
            return "cannot be '.' or '..'";
        }
        return null;
    }

    @Override
    public String toString() {
        return template;
    }
}
