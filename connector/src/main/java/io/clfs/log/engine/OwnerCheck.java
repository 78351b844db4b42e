package io.clfs.log.engine;

import io.clfs.log.OwnerFencedException;
import io.clfs.log.io.FileReplacedException;

import java.io.IOException;

/**
 * The writer's proof that it is still the owner: the file named {@code clfs.meta} is the one it
 * holds open, and its newest copy carries this writer's owner epoch. A newer owner that took over
 * after an unclean close replaced {@code clfs.meta} with a new file (docs/format.md, "Fencing an
 * older owner"), so the epoch is then read by name: a replaced file whose epoch moved means
 * fenced, not merely "replaced".
 *
 * <p>Stateless; callers hold {@link LogCore#lock} or own the files, as their own contracts say.
 */
final class OwnerCheck {
    private OwnerCheck() {
    }

    /** Throws {@link OwnerFencedException} when a newer owner exists, the identity error when the file was only replaced. */
    static void check(LogCore core) throws IOException {
        check(core, true);
    }

    /**
     * As {@link #check}, but while {@code clfs.meta} is still the file this writer holds it reads no
     * epoch: one {@code stat}. Enough before the first write into a container opened by name: a
     * newer owner that could have made that file opened the log while this writer ran, which is
     * never a clean open, so it replaced {@code clfs.meta}.
     */
    static void checkFile(LogCore core) throws IOException {
        check(core, false);
    }

    /** The epoch of the copy this writer's {@code clfs.meta} handle reads, without the file check. */
    static void checkEpoch(LogCore core) {
        long onDisk = core.store.readNewest().ownerEpoch();
        if (onDisk != core.epoch) {
            throw fenced(core, onDisk);
        }
    }

    private static OwnerFencedException fenced(LogCore core, long onDisk) {
        return new OwnerFencedException("log " + core.dir + " was opened by a newer writer (owner epoch " + onDisk
                + ", this writer's " + core.epoch + "): this writer is fenced and acknowledges nothing more");
    }

    private static void check(LogCore core, boolean readEpoch) throws IOException {
        FileReplacedException replaced = null;
        try {
            core.store.checkIdentity();
        } catch (FileReplacedException e) {
            replaced = e;
        }
        if (replaced == null && !readEpoch) {
            return;
        }
        long onDisk = replaced == null ? core.store.readNewest().ownerEpoch()
                : core.store.readNewestByName().ownerEpoch();
        if (onDisk != core.epoch) {
            throw fenced(core, onDisk);
        }
        if (replaced != null) {
            throw replaced;
        }
    }
}
