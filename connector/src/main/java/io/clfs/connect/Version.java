package io.clfs.connect;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The project version, from a resource the build fills in. */
public final class Version {
    private static final String RESOURCE = "/io/clfs/connect/version.properties";
    private static final String VERSION = load();

    private Version() {
    }

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown").trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
