package io.clfs.log.engine;

import io.clfs.log.ClfsLog;
import io.clfs.log.LogKind;
import io.clfs.log.LogPolicy;
import io.clfs.log.io.FileIO;

import java.nio.file.Path;

/** A new dedicated log's core, opened and recovered as its writer, for tests of one room at a time. */
final class RecoveredWriter {
    static final LogPolicy SMALL = LogPolicy.defaults().withContainerSize(512 << 10).withBlockSize(4096);

    private RecoveredWriter() {
    }

    static LogCore open(Path dir) {
        ClfsLog.create(dir, LogKind.DEDICATED, true, SMALL).close();
        LogCore core = LogCore.open(FileIO.real(), dir, true);
        new Recovery(core).recover();
        return core;
    }
}
