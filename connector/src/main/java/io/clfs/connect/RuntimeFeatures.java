package io.clfs.connect;

import org.apache.kafka.common.metrics.PluginMetrics;

import java.util.function.Supplier;

/**
 * Task-context features that older Connect runtimes lack: the plugin runs on them without the
 * feature instead of failing. Pass a lambda ({@code () -> context.pluginMetrics()}), not a method
 * reference: a method reference to a missing method fails where it is written, a lambda only when
 * called here.
 */
public final class RuntimeFeatures {
    private RuntimeFeatures() {
    }

    /** The task's plugin metrics, or null on a runtime older than KIP-877 (or one that offers none). */
    public static PluginMetrics pluginMetrics(Supplier<PluginMetrics> fromContext) {
        try {
            return ifSupported(fromContext);
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }

    /** What {@code feature} gives, or null on a runtime older than the feature. */
    public static <T> T ifSupported(Supplier<T> feature) {
        try {
            return feature.get();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            return null;
        }
    }
}
