package io.clfs.log;

import io.clfs.log.format.Layout;

import java.nio.charset.StandardCharsets;

/**
 * The log's policies, set at creation and changeable later (except the container and block size,
 * which the files are laid out by).
 *
 * @param containerSize          bytes per container file, a multiple of 512 (default 8 MiB, minimum 512 KiB)
 * @param blockSize              bytes a marshalling block holds before it is sealed, a multiple of 512
 * @param minContainers          never fewer container files (at least 2)
 * @param maxContainers          the log never grows past this many
 * @param growthStep             containers added at once when the log grows
 * @param freeSpaceTargetPercent below this share of free space, clients are asked to advance their tails (0 = only when full)
 * @param autoShrinkPercent      above this share of free containers, free ones beyond the minimum are deleted (0 = never)
 * @param containerPrefix        container file name prefix
 * @param containerSuffix        container file name suffix
 */
public record LogPolicy(long containerSize, int blockSize, int minContainers, int maxContainers, int growthStep,
                        int freeSpaceTargetPercent, int autoShrinkPercent, String containerPrefix,
                        String containerSuffix) {

    public static final long DEFAULT_CONTAINER_SIZE = 8L << 20;
    public static final long MIN_CONTAINER_SIZE = 512L << 10;
    public static final long MAX_CONTAINER_SIZE = 1L << 31;
    public static final int DEFAULT_BLOCK_SIZE = 64 << 10;
    public static final int MAX_BLOCK_SIZE = 4 << 20;

    public LogPolicy {
        validate(containerSize, blockSize, minContainers, maxContainers, growthStep, freeSpaceTargetPercent,
                autoShrinkPercent, containerPrefix, containerSuffix);
    }

    public static LogPolicy defaults() {
        return new LogPolicy(DEFAULT_CONTAINER_SIZE, DEFAULT_BLOCK_SIZE, 2, 64, 1, 0, 0, "container-", ".clfs");
    }

    public LogPolicy withContainerSize(long v) {
        return new LogPolicy(v, blockSize, minContainers, maxContainers, growthStep, freeSpaceTargetPercent,
                autoShrinkPercent, containerPrefix, containerSuffix);
    }

    public LogPolicy withBlockSize(int v) {
        return new LogPolicy(containerSize, v, minContainers, maxContainers, growthStep, freeSpaceTargetPercent,
                autoShrinkPercent, containerPrefix, containerSuffix);
    }

    public LogPolicy withContainers(int min, int max) {
        return new LogPolicy(containerSize, blockSize, min, max, growthStep, freeSpaceTargetPercent,
                autoShrinkPercent, containerPrefix, containerSuffix);
    }

    public LogPolicy withGrowthStep(int v) {
        return new LogPolicy(containerSize, blockSize, minContainers, maxContainers, v, freeSpaceTargetPercent,
                autoShrinkPercent, containerPrefix, containerSuffix);
    }

    public LogPolicy withFreeSpaceTargetPercent(int v) {
        return new LogPolicy(containerSize, blockSize, minContainers, maxContainers, growthStep, v,
                autoShrinkPercent, containerPrefix, containerSuffix);
    }

    public LogPolicy withAutoShrinkPercent(int v) {
        return new LogPolicy(containerSize, blockSize, minContainers, maxContainers, growthStep,
                freeSpaceTargetPercent, v, containerPrefix, containerSuffix);
    }

    public LogPolicy withFileNames(String prefix, String suffix) {
        return new LogPolicy(containerSize, blockSize, minContainers, maxContainers, growthStep,
                freeSpaceTargetPercent, autoShrinkPercent, prefix, suffix);
    }

    /** The bytes of a container that records can use: all but the container header. */
    public long usableContainerBytes() {
        return containerSize - Layout.CONTAINER_HEADER_SIZE;
    }

    private static void validate(long containerSize, int blockSize, int min, int max, int step, int target,
                                 int shrink, String prefix, String suffix) {
        check(containerSize >= MIN_CONTAINER_SIZE && containerSize <= MAX_CONTAINER_SIZE
                        && containerSize % Layout.SECTOR == 0,
                "containerSize", containerSize, "a multiple of 512 from " + MIN_CONTAINER_SIZE + " to " + MAX_CONTAINER_SIZE);
        check(blockSize >= Layout.SECTOR && blockSize <= MAX_BLOCK_SIZE && blockSize % Layout.SECTOR == 0
                        && blockSize <= containerSize - Layout.CONTAINER_HEADER_SIZE,
                "blockSize", blockSize, "a multiple of 512 from 512 to " + MAX_BLOCK_SIZE + " and at most the container size less 512");
        check(min >= 2 && min <= Layout.MAX_CONTAINERS, "minContainers", min, "from 2 to " + Layout.MAX_CONTAINERS);
        check(max >= min && max <= Layout.MAX_CONTAINERS, "maxContainers", max,
                "at least minContainers (" + min + ") and at most " + Layout.MAX_CONTAINERS);
        check(step >= 1 && step <= Layout.MAX_CONTAINERS, "growthStep", step, "from 1 to " + Layout.MAX_CONTAINERS);
        check(target >= 0 && target <= 99, "freeSpaceTargetPercent", target, "from 0 to 99");
        check(shrink >= 0 && shrink <= 100, "autoShrinkPercent", shrink, "from 0 (never) to 100");
        checkName("containerPrefix", prefix);
        checkName("containerSuffix", suffix);
    }

    private static void checkName(String field, String value) {
        if (value == null || value.getBytes(StandardCharsets.UTF_8).length > Layout.MAX_FILE_AFFIX
                || value.contains("/") || value.contains("\\") || value.contains("\0")) {
            throw new IllegalArgumentException("invalid " + field + " '" + value + "': expected at most "
                    + Layout.MAX_FILE_AFFIX + " bytes with no path separator");
        }
    }

    private static void check(boolean ok, String field, long value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException("invalid " + field + " " + value + ": expected " + expected);
        }
    }
}
