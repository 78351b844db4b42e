package io.clfs.connect.source;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The origin topic-partition a sink log's directory is named after: {@code <topic>-<partition>},
 * or {@code <topic>-<partition>~gen-<n>} for a later generation. Lets the connector and the
 * preflight know the origin of a log without reading it.
 */
public record OriginName(String topic, int partition) {
    private static final Pattern NAME = Pattern.compile("([^~]+)-(\\d{1,9})(~gen-\\d+)?");

    /** The origin of the log named {@code name}, or null when the name is not a sink log's. */
    public static OriginName parse(String name) {
        Matcher m = NAME.matcher(name);
        return m.matches() ? new OriginName(m.group(1), Integer.parseInt(m.group(2))) : null;
    }
}
