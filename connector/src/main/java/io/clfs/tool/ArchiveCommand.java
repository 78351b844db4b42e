package io.clfs.tool;

import com.fasterxml.jackson.core.JsonGenerator;
import io.clfs.log.ArchiveScan;
import io.clfs.log.ClfsLog;
import io.clfs.log.LogInfo;
import io.clfs.log.Lsn;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code clfs archive}: copies, raw, the container ranges that hold the records from the archive
 * tail to the durable end. It does not move the archive tail: once the copy is safe elsewhere, the
 * archiver does that with {@code set-archive-tail}.
 */
@Command(name = "archive",
        description = {"Copies the container ranges holding the records from the archive tail to the durable end"
                + " into DIR (which must be empty or missing): one file per range, named"
                + " cccccccc-oooooooo.clfsarc after the range's logical container id and offset, and"
                + " " + ArchiveCommand.MANIFEST + " listing each range's file, logicalId, offset, length, startLsn"
                + " and endLsn. Prints one line per range, then the manifest's path. Opens the log read-only.",
                "It does not move the archive tail: run set-archive-tail once the copy is safe."})
final class ArchiveCommand extends Verb {
    static final String MANIFEST = "manifest.json";

    @Mixin
    LogDir log;

    @Option(names = "--to", paramLabel = "DIR", required = true, description = "Where the copies go.")
    Path to;

    @Override
    int run() throws IOException {
        try (ClfsLog reader = log.openReader(); ArchiveScan scan = reader.archiveScan()) {
            prepareTarget();
            List<ArchiveScan.Range> ranges = scan.ranges();
            for (ArchiveScan.Range r : ranges) {
                Path copy = to.resolve(fileName(r));
                copy(r, copy);
                out().println("copied " + copy + " logicalId " + r.logicalId() + " offset " + r.offset() + " length "
                        + r.length() + " startLsn " + Lsn.toString(r.startLsn()) + " endLsn "
                        + Lsn.toString(r.endLsn()));
            }
            Path manifest = writeManifest(reader.info(), ranges);
            out().println("manifest " + manifest);
        }
        return ClfsTool.OK;
    }

    /** Refuses a non-empty target: mixing two archives' files under one manifest would lose track of both. */
    private void prepareTarget() throws IOException {
        if (Files.isDirectory(to)) {
            try (Stream<Path> entries = Files.list(to)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("archive target " + to + " is not empty");
                }
            }
        }
        Files.createDirectories(to);
    }

    static String fileName(ArchiveScan.Range r) {
        return String.format("%08x-%08x.clfsarc", r.logicalId(), r.offset());
    }

    private static void copy(ArchiveScan.Range r, Path copy) throws IOException {
        try (FileChannel src = FileChannel.open(r.file(), StandardOpenOption.READ);
             FileChannel dst = FileChannel.open(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long done = 0;
            while (done < r.length()) {
                long n = src.transferTo(r.offset() + done, r.length() - done, dst);
                if (n <= 0) {
                    throw new IOException("container " + r.file() + " ends before offset " + (r.offset() + done)
                            + " of the range to copy");
                }
                done += n;
            }
            dst.force(true);
        }
    }

    /** Written last and renamed into place, so a manifest always describes complete copies. */
    private Path writeManifest(LogInfo info, List<ArchiveScan.Range> ranges) throws IOException {
        Path tmp = to.resolve(MANIFEST + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp); JsonGenerator g = Json.generator(w)) {
            g.writeStartObject();
            g.writeStringField("log", info.dir().toAbsolutePath().toString());
            g.writeStringField("logId", info.logId());
            g.writeNumberField("containerSize", info.policy().containerSize());
            g.writeArrayFieldStart("ranges");
            for (ArchiveScan.Range r : ranges) {
                g.writeStartObject();
                g.writeStringField("file", fileName(r));
                g.writeNumberField("logicalId", r.logicalId());
                g.writeNumberField("offset", r.offset());
                g.writeNumberField("length", r.length());
                g.writeStringField("startLsn", Lsn.toString(r.startLsn()));
                g.writeStringField("endLsn", Lsn.toString(r.endLsn()));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            Json.endLine(g, w);
        }
        Path manifest = to.resolve(MANIFEST);
        Files.move(tmp, manifest, StandardCopyOption.ATOMIC_MOVE);
        return manifest;
    }
}
