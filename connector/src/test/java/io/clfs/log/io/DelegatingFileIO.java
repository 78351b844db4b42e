package io.clfs.log.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * The real file system (or another disk) with hooks before writes, fsyncs and directory syncs, so
 * that a test can inject I/O errors or hold an fsync while the disk otherwise works.
 */
public abstract class DelegatingFileIO implements FileIO {
    private final FileIO disk;

    protected DelegatingFileIO() {
        this(FileIO.real());
    }

    protected DelegatingFileIO(FileIO disk) {
        this.disk = disk;
    }

    /** Called before each write to {@code file}; throw to fail it. By default: {@link #beforeChange()}. */
    protected void beforeWrite(Path file) throws IOException {
        beforeChange();
    }

    /** Called before each fsync of {@code file}; throw to fail it. By default: {@link #beforeChange()}. */
    protected void beforeForce(Path file) throws IOException {
        beforeChange();
    }

    /** Called before each directory sync; throw to fail it. By default: {@link #beforeChange()}. */
    protected void beforeSyncDirectory(Path dir) throws IOException {
        beforeChange();
    }

    /** Called before each write, fsync and directory sync that the three hooks above do not take over. */
    protected void beforeChange() throws IOException {
    }

    @Override
    public FileHandle open(Path file, Mode mode) throws IOException {
        FileHandle real = disk.open(file, mode);
        return new FileHandle() {
            @Override
            public Path path() {
                return real.path();
            }

            @Override
            public Object fileKey() {
                return real.fileKey();
            }

            @Override
            public int read(ByteBuffer dst, long position) throws IOException {
                return real.read(dst, position);
            }

            @Override
            public void write(ByteBuffer src, long position) throws IOException {
                beforeWrite(file);
                real.write(src, position);
            }

            @Override
            public void write(ByteBuffer[] srcs, int offset, int length, long position) throws IOException {
                beforeWrite(file);
                real.write(srcs, offset, length, position);
            }

            @Override
            public void force() throws IOException {
                beforeForce(file);
                real.force();
            }

            @Override
            public long size() throws IOException {
                return real.size();
            }

            @Override
            public void close() throws IOException {
                real.close();
            }
        };
    }

    @Override
    public boolean exists(Path path) {
        return disk.exists(path);
    }

    @Override
    public Object fileKey(Path file) throws IOException {
        return disk.fileKey(file);
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        return disk.list(dir);
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        disk.createDirectories(dir);
    }

    @Override
    public void delete(Path file) throws IOException {
        disk.delete(file);
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        disk.rename(from, to);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        beforeSyncDirectory(dir);
        disk.syncDirectory(dir);
    }

    @Override
    public LockHandle lock(Path lockFile, boolean wait) throws IOException {
        return disk.lock(lockFile, wait);
    }

    @Override
    public LockHandle lockReplacing(Path lockFile) throws IOException {
        return disk.lockReplacing(lockFile);
    }
}
