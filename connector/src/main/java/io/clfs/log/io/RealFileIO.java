package io.clfs.log.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** {@link FileIO} on the real file system through {@link FileChannel}. */
final class RealFileIO implements FileIO {
    static final RealFileIO INSTANCE = new RealFileIO();

    /**
     * A JVM holds a file lock for the whole process, so holders inside this process are kept apart
     * here: a second holder in the same JVM is refused just like one in another process.
     */
    private final Set<Path> heldInThisJvm = ConcurrentHashMap.newKeySet();

    private RealFileIO() {
    }

    @Override
    public FileHandle open(Path file, Mode mode) throws IOException {
        FileChannel channel = switch (mode) {
            case READ -> FileChannel.open(file, StandardOpenOption.READ);
            case READ_WRITE -> FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            case CREATE_NEW -> FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.CREATE_NEW);
        };
        try {
            return new ChannelHandle(file, channel, fileKey(file));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public Object fileKey(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }

    @Override
    public boolean exists(Path path) {
        return Files.exists(path);
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        Files.createDirectories(dir);
    }

    @Override
    public void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    @Override
    public LockHandle lock(Path lockFile, boolean wait) throws IOException {
        Path key = lockFile.toAbsolutePath().normalize();
        if (!claim(key, wait)) {
            return null;
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = wait ? ch.lock() : ch.tryLock();
            if (lock == null) {
                ch.close();
                heldInThisJvm.remove(key);
                return null;
            }
            FileChannel held = ch;
            return () -> {
                try {
                    lock.release();
                    held.close();
                } finally {
                    heldInThisJvm.remove(key);
                }
            };
        } catch (OverlappingFileLockException e) {
            ch.close();
            heldInThisJvm.remove(key);
            return null;
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                ch.close();
            }
            heldInThisJvm.remove(key);
            throw e;
        }
    }

    /** Marks {@code key} held in this JVM, waiting for another holder here when {@code wait}. */
    private boolean claim(Path key, boolean wait) {
        while (!heldInThisJvm.add(key)) {
            if (!wait) {
                return false;
            }
            Thread.onSpinWait();
            Thread.yield();
        }
        return true;
    }

    private static final class ChannelHandle implements FileHandle {
        private final Path path;
        private final FileChannel channel;
        private final Object fileKey;

        ChannelHandle(Path path, FileChannel channel, Object fileKey) {
            this.path = path;
            this.channel = channel;
            this.fileKey = fileKey;
        }

        @Override
        public Path path() {
            return path;
        }

        @Override
        public Object fileKey() {
            return fileKey;
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            int total = 0;
            while (dst.hasRemaining()) {
                int n = channel.read(dst, position + total);
                if (n < 0) {
                    break;
                }
                total += n;
            }
            return total;
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            long p = position;
            while (src.hasRemaining()) {
                p += channel.write(src, p);
            }
        }

        /** One gathering {@code writev} per call where the kernel takes it all; only the owning writer uses the position. */
        @Override
        public void write(ByteBuffer[] srcs, int offset, int length, long position) throws IOException {
            long p = position;
            int i = offset;
            int end = offset + length;
            while (i < end) {
                channel.position(p);
                p += channel.write(srcs, i, end - i);
                while (i < end && !srcs[i].hasRemaining()) {
                    i++;
                }
            }
        }

        @Override
        public void force() throws IOException {
            channel.force(false);
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
