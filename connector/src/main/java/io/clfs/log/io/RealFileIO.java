package io.clfs.log.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
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
        Path key = key(lockFile);
        if (!claim(key, wait)) {
            return null;
        }
        return whileClaimed(key, () -> {
            for (;;) {
                LockChannel ch = LockChannel.open(lockFile);
                FileLock lock;
                try {
                    lock = wait ? ch.channel.lock() : ch.channel.tryLock();
                } catch (IOException | RuntimeException e) {
                    ch.channel.close();
                    throw e;
                }
                if (lock == null) {
                    ch.channel.close();
                    return null;
                }
                if (ch.stillNamed()) {
                    return release(lock, ch, key);
                }
                ch.channel.close(); // replaced by a takeover while this waited: lock the file the name points to now
            }
        });
    }

    @Override
    public LockHandle lockReplacing(Path lockFile) throws IOException {
        Path key = key(lockFile);
        return claim(key, false) ? whileClaimed(key, () -> replace(lockFile, key)) : null;
    }

    /**
     * With {@code key} claimed in this JVM: a new file, locked, takes the name {@code lockFile} in one
     * atomic rename. Null when another taker renamed its own file over it meanwhile.
     */
    private LockHandle replace(Path lockFile, Path key) throws IOException {
        Path fresh = lockFile.resolveSibling(lockFile.getFileName() + "." + UUID.randomUUID() + ".new");
        FileChannel ch = FileChannel.open(fresh, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            FileLock lock = ch.lock(); // a file no one else has opened yet: granted at once
            LockChannel mine = new LockChannel(lockFile, ch, fileKey(fresh));
            rename(fresh, lockFile);
            if (!mine.stillNamed()) {
                ch.close();
                return null;
            }
            return release(lock, mine, key);
        } catch (IOException | RuntimeException e) {
            ch.close();
            Files.deleteIfExists(fresh);
            throw e;
        }
    }

    private interface ClaimedLock {
        LockHandle take() throws IOException;
    }

    /** Runs {@code take} with {@code key} claimed, dropping the claim unless it returns a hold. */
    private LockHandle whileClaimed(Path key, ClaimedLock take) throws IOException {
        LockHandle held = null;
        try {
            held = take.take();
            return held;
        } catch (OverlappingFileLockException e) {
            return null;
        } finally {
            if (held == null) {
                heldInThisJvm.remove(key);
            }
        }
    }

    /**
     * The hold on {@code lock}, on the file {@code ch} is open on: releasing it closes the channel
     * and drops the claim.
     */
    private LockHandle release(FileLock lock, LockChannel ch, Path key) {
        return new LockHandle() {
            @Override
            public void close() throws IOException {
                try {
                    lock.release();
                    ch.channel.close();
                } finally {
                    heldInThisJvm.remove(key);
                }
            }

            @Override
            public boolean stillNamed() throws IOException {
                return ch.stillNamed();
            }
        };
    }

    private static Path key(Path lockFile) {
        return lockFile.toAbsolutePath().normalize();
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

    /**
     * A lock file's channel and the identity (inode) of the file it is open on. A takeover replaces
     * the file ({@link #lockReplacing}): a lock taken on the old one, now nameless, excludes no one,
     * so every hold checks after locking that its file still has the name.
     */
    private record LockChannel(Path path, FileChannel channel, Object fileKey) {
        static LockChannel open(Path path) throws IOException {
            for (;;) {
                Object before = keyOrNull(path);
                FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                Object opened = keyOrNull(path);
                if (before == null || Objects.equals(before, opened)) {
                    return new LockChannel(path, ch, opened);
                }
                ch.close(); // replaced between the two looks: which file the channel is on is unknown
            }
        }

        boolean stillNamed() throws IOException {
            return Objects.equals(fileKey, keyOrNull(path));
        }

        private static Object keyOrNull(Path path) throws IOException {
            try {
                return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            } catch (NoSuchFileException e) {
                return null;
            }
        }
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
