package io.clfs.tool;

import io.clfs.log.ClfsLog;
import io.clfs.log.LogKind;
import io.clfs.log.LogPolicy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code clfs create}: a new log with the given policies; unset policies keep the engine's defaults. */
@Command(name = "create", description = "Creates a log in LOG (a directory, made if missing). Prints 'created LOG'.")
final class CreateCommand extends Verb {
    @Mixin
    LogDir log;

    @Option(names = "--multiplexed", description = "Several named streams instead of one (fixed at creation).")
    boolean multiplexed;

    @Option(names = "--archive", description = "Non-ephemeral: keep an archive tail beside the base LSN.")
    boolean archive;

    @Option(names = "--container-size", paramLabel = "BYTES", converter = ByteSizeConverter.class,
            description = "Bytes per container, a multiple of 512 (suffix k, m, g allowed; default 8m).")
    Long containerSize;

    @Option(names = "--block-size", paramLabel = "BYTES", converter = ByteSizeConverter.class,
            description = "Bytes per marshalling block, a multiple of 512 (default 64k).")
    Long blockSize;

    @Option(names = "--containers", paramLabel = "N", description = "Containers to start with, the minimum (default 2).")
    Integer containers;

    @Option(names = "--max-containers", paramLabel = "N",
            description = "The log never grows past N containers (default 64, or --containers if more).")
    Integer maxContainers;

    @Option(names = "--growth-step", paramLabel = "N", description = "Containers added at once when growing.")
    Integer growthStep;

    @Option(names = "--free-space-target", paramLabel = "PCT",
            description = "Below this share of free space, ask clients to advance their tails (0: only when full).")
    Integer freeSpaceTarget;

    @Option(names = "--auto-shrink", paramLabel = "PCT",
            description = "Above this share of free containers, delete free ones beyond the minimum (0: never).")
    Integer autoShrink;

    @Option(names = "--prefix", paramLabel = "P", description = "Container file name prefix.")
    String prefix;

    @Option(names = "--suffix", paramLabel = "S", description = "Container file name suffix.")
    String suffix;

    @Override
    int run() {
        LogPolicy policy = policy();
        try (ClfsLog created = ClfsLog.create(log.dir, multiplexed ? LogKind.MULTIPLEXED : LogKind.DEDICATED,
                archive, policy)) {
            out().println("created " + created.dir());
        }
        return ClfsTool.OK;
    }

    /** A policy the engine refuses is a bad option value: a usage error. */
    private LogPolicy policy() {
        LogPolicy d = LogPolicy.defaults();
        try {
            int min = containers != null ? containers : d.minContainers();
            int max = maxContainers != null ? maxContainers : Math.max(d.maxContainers(), min);
            long size = containerSize != null ? containerSize : d.containerSize();
            long block = blockSize != null ? blockSize : d.blockSize();
            if (block > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("invalid blockSize " + block + ": too large");
            }
            return new LogPolicy(size, (int) block, min, max,
                    growthStep != null ? growthStep : d.growthStep(),
                    freeSpaceTarget != null ? freeSpaceTarget : d.freeSpaceTargetPercent(),
                    autoShrink != null ? autoShrink : d.autoShrinkPercent(),
                    prefix != null ? prefix : d.containerPrefix(),
                    suffix != null ? suffix : d.containerSuffix());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }
}
