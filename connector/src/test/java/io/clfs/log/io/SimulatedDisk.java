package io.clfs.log.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory {@link FileIO} that models what a power loss keeps. Written bytes are visible to
 * reads at once but stay pending until {@link FileHandle#force()} on their file; creations and
 * deletions of files become durable only at {@link #syncDirectory(Path)} of their parent.
 * {@link #crash(Loss, Random)} derives the durable image a power loss would leave, from which a new
 * disk can be made.
 *
 * <p>Every call that may throw {@code IOException} counts as one I/O call (see {@link #ioCalls()});
 * {@link #crashAfter(long)} makes a later call fail with "simulated power loss" and freezes the
 * disk, so that a test can enumerate every crash point of a workload. {@link #exists(Path)} cannot
 * throw, so it is not a crash point; it answers from the frozen state.
 *
 * <p>{@link #failForce(long)} makes one later {@code force} fail as Linux fails an fsync after a
 * writeback error (Rebello et al., ATC '20): the file's unforced writes stay readable, but their
 * pages are marked clean, so no later {@code force} writes them and a power loss loses them. The
 * disk lives on: the other calls keep working.
 */
public final class SimulatedDisk implements FileIO {
    public static final int SECTOR = 512;
    public static final String POWER_LOSS = "simulated power loss";
    public static final String WRITEBACK_ERROR = "simulated writeback error";

    /** What happens to each pending write at a power loss. */
    public enum Loss {
        /** Every pending write reaches the platter (the OS wrote everything back in time). */
        KEEP_ALL,
        /** No pending write survives. */
        DROP_ALL,
        /** Each pending write independently survives whole or not at all. */
        WHOLE_WRITES,
        /** Each pending write is independently kept, dropped, or torn: each sector of it kept or not. */
        TORN
    }

    /** A durable state of the disk: directories and file contents, as after a reboot. */
    public static final class Image {
        private final Set<Path> dirs;
        private final Map<Path, byte[]> files;

        Image(Set<Path> dirs, Map<Path, byte[]> files) {
            this.dirs = Set.copyOf(dirs);
            this.files = Collections.unmodifiableMap(new TreeMap<>(files));
        }

        public Map<Path, byte[]> files() {
            return files;
        }

        public byte[] file(Path p) {
            return files.get(norm(p));
        }
    }

    private record Write(long position, byte[] bytes) {
    }

    /** Chooses, for a precise scenario, which pending writes survive whole (the others are lost whole). */
    @FunctionalInterface
    public interface Survivor {
        boolean keeps(Path file, long position, int length);
    }

    /** One file's contents, independent of the names it has (a deleted file lives on in open handles). */
    private static final class Inode {
        private static final AtomicLong NUMBERS = new AtomicLong();
        /** Its identity, as {@link FileIO#fileKey(Path)} and {@link FileHandle#fileKey()} give it. */
        final Long number = NUMBERS.incrementAndGet();
        byte[] data;
        int length;
        byte[] durable;
        int durableLength;
        final List<Write> pending = new ArrayList<>();

        Inode(byte[] contents) {
            data = contents.clone();
            length = contents.length;
            durable = contents.clone();
            durableLength = contents.length;
        }

        void write(long position, byte[] bytes) {
            int end = Math.toIntExact(position + bytes.length);
            data = ensure(data, end);
            if (position > length) {
                Arrays.fill(data, length, (int) position, (byte) 0);
            }
            System.arraycopy(bytes, 0, data, (int) position, bytes.length);
            length = Math.max(length, end);
            pending.add(new Write(position, bytes));
        }

        void force() {
            for (Write w : pending) {
                durableLength = apply(w.position, w.bytes, 0, w.bytes.length);
            }
            pending.clear();
        }

        /** A failed writeback: the data stays as written, but nothing unforced of it will reach the platter. */
        void loseUnforced() {
            pending.clear();
        }

        private int apply(long position, byte[] bytes, int from, int to) {
            int end = (int) position + to;
            durable = ensure(durable, end);
            if (position + from > durableLength) {
                Arrays.fill(durable, durableLength, (int) position + from, (byte) 0);
            }
            System.arraycopy(bytes, from, durable, (int) position + from, to - from);
            return Math.max(durableLength, end);
        }

        /** The contents after a power loss: the durable bytes plus whatever of each pending write survives. */
        byte[] afterLoss(Path path, Loss loss, Random random, Survivor survivor) {
            byte[] saved = durable;
            int savedLength = durableLength;
            durable = Arrays.copyOf(durable, Math.max(durableLength, 1));
            try {
                for (Write w : pending) {
                    if (survivor == null) {
                        survive(w, loss, random);
                    } else if (survivor.keeps(path, w.position, w.bytes.length)) {
                        durableLength = apply(w.position, w.bytes, 0, w.bytes.length);
                    }
                }
                return Arrays.copyOf(durable, durableLength);
            } finally {
                durable = saved;
                durableLength = savedLength;
            }
        }

        private void survive(Write w, Loss loss, Random random) {
            int fate = switch (loss) {
                case KEEP_ALL -> 0;
                case DROP_ALL -> 1;
                case WHOLE_WRITES -> random.nextInt(2);
                case TORN -> random.nextInt(3);
            };
            if (fate == 1) {
                return;
            }
            // Sector pieces: [start, next sector boundary), whole sectors, then the rest.
            long start = w.position;
            long end = w.position + w.bytes.length;
            while (start < end) {
                long pieceEnd = Math.min(end, (start / SECTOR + 1) * SECTOR);
                if (fate == 0 || random.nextBoolean()) {
                    durableLength = apply(w.position, w.bytes, (int) (start - w.position), (int) (pieceEnd - w.position));
                }
                start = pieceEnd;
            }
        }

        private static byte[] ensure(byte[] a, int size) {
            if (a.length >= size) {
                return a;
            }
            return Arrays.copyOf(a, Math.max(size, a.length * 2));
        }
    }

    private final Set<Path> dirs = new HashSet<>();
    /** The names as the running system sees them, and as they are on the platter. */
    private final Map<Path, Inode> live = new HashMap<>();
    private final Map<Path, Inode> durableNames = new HashMap<>();
    private final Set<Path> locks = new HashSet<>();
    private long calls;
    private long created;
    private long deleted;
    private long crashAt = -1;
    private long forces;
    private long failingForce = -1;
    private boolean frozen;

    public SimulatedDisk() {
    }

    /** A disk holding exactly {@code image}, all of it durable. */
    public SimulatedDisk(Image image) {
        dirs.addAll(image.dirs);
        for (Map.Entry<Path, byte[]> e : image.files.entrySet()) {
            Inode inode = new Inode(e.getValue());
            live.put(e.getKey(), inode);
            durableNames.put(e.getKey(), inode);
        }
    }

    /** Normalizing is costly and the engine asks for the same few paths over and over. */
    private static final Map<Path, Path> NORMALIZED = new java.util.concurrent.ConcurrentHashMap<>();

    private static Path norm(Path p) {
        return NORMALIZED.computeIfAbsent(p, x -> x.toAbsolutePath().normalize());
    }

    // ------------------------------------------------------------------ crash control

    /** I/O calls made so far (successful ones and the one that hit the crash point). */
    public synchronized long ioCalls() {
        return calls;
    }

    /** The next {@code n} I/O calls succeed; the one after them, and every call after that, fails. */
    public synchronized void crashAfter(long n) {
        crashAt = calls + n;
    }

    /** {@code force} calls made so far (successful ones and failed ones). */
    public synchronized long forces() {
        return forces;
    }

    /**
     * The next {@code n} forces succeed; the one after them fails with a writeback error, leaving its
     * file's unforced writes readable but never durable (see the class comment).
     */
    public synchronized void failForce(long n) {
        failingForce = forces + n;
    }

    /** Files created and deleted so far: lets a test check that its workload grows and shrinks the log. */
    public synchronized long filesCreated() {
        return created;
    }

    public synchronized long filesDeleted() {
        return deleted;
    }

    public synchronized boolean frozen() {
        return frozen;
    }

    /**
     * The process using the disk died but the machine did not: I/O works again, and writes that
     * were never forced stay pending (a later power loss may still lose them). Its locks are gone.
     */
    public synchronized void restartProcess() {
        frozen = false;
        crashAt = -1;
        failingForce = -1;
        locks.clear();
        notifyAll();
    }

    /** Freezes the disk now, as a power loss between two calls would. */
    public synchronized void powerOff() {
        frozen = true;
        notifyAll();
    }

    private void io() throws IOException {
        if (frozen) {
            throw new IOException(POWER_LOSS);
        }
        if (calls++ == crashAt) {
            frozen = true;
            notifyAll();
            throw new IOException(POWER_LOSS);
        }
    }

    /** The durable image a power loss now would leave, with each pending write treated as {@code loss} says. */
    public synchronized Image crash(Loss loss, Random random) {
        return image(loss, random, null);
    }

    /** The durable image a power loss now would leave when exactly the pending writes {@code survivor} keeps survive. */
    public synchronized Image crash(Survivor survivor) {
        return image(null, null, survivor);
    }

    private Image image(Loss loss, Random random, Survivor survivor) {
        Map<Path, byte[]> files = new HashMap<>();
        // Iterate in name order so that one seed always gives one image.
        for (Path p : new TreeMap<>(durableNames).keySet()) {
            files.put(p, durableNames.get(p).afterLoss(p, loss, random, survivor));
        }
        return new Image(dirs, files);
    }

    /** As {@link #crash(Loss, Random)} with each pending write kept, dropped or torn at random. */
    public Image crash(Random random) {
        return crash(Loss.TORN, random);
    }

    // ------------------------------------------------------------------ FileIO

    @Override
    public synchronized FileHandle open(Path file, Mode mode) throws IOException {
        io();
        Path p = norm(file);
        Inode inode = live.get(p);
        if (mode == Mode.CREATE_NEW) {
            if (inode != null) {
                throw new FileAlreadyExistsException(p.toString());
            }
            requireDir(p.getParent());
            inode = new Inode(new byte[0]);
            live.put(p, inode);
            created++;
        } else if (inode == null) {
            throw new NoSuchFileException(p.toString());
        }
        return new Handle(p, inode, mode != Mode.READ);
    }

    private void requireDir(Path dir) throws IOException {
        if (dir == null || !dirs.contains(dir)) {
            throw new NoSuchFileException(String.valueOf(dir));
        }
    }

    @Override
    public synchronized boolean exists(Path path) {
        Path p = norm(path);
        return live.containsKey(p) || dirs.contains(p);
    }

    @Override
    public synchronized Object fileKey(Path file) throws IOException {
        io();
        Inode inode = live.get(norm(file));
        if (inode == null) {
            throw new NoSuchFileException(norm(file).toString());
        }
        return inode.number;
    }

    @Override
    public synchronized List<Path> list(Path dir) throws IOException {
        io();
        Path d = norm(dir);
        requireDir(d);
        List<Path> out = new ArrayList<>();
        for (Path p : live.keySet()) {
            if (d.equals(p.getParent())) {
                out.add(p);
            }
        }
        Collections.sort(out);
        return out;
    }

    /** Directories are made durable at once: creating the log is outside what the crash tests cover. */
    @Override
    public synchronized void createDirectories(Path dir) throws IOException {
        io();
        for (Path d = norm(dir); d != null; d = d.getParent()) {
            if (live.containsKey(d)) {
                throw new FileAlreadyExistsException(d.toString());
            }
            dirs.add(d);
        }
    }

    @Override
    public synchronized void delete(Path file) throws IOException {
        io();
        if (live.remove(norm(file)) != null) {
            deleted++;
        }
    }

    @Override
    public synchronized void syncDirectory(Path dir) throws IOException {
        io();
        Path d = norm(dir);
        requireDir(d);
        durableNames.keySet().removeIf(p -> d.equals(p.getParent()) && !live.containsKey(p));
        for (Map.Entry<Path, Inode> e : live.entrySet()) {
            if (d.equals(e.getKey().getParent())) {
                durableNames.put(e.getKey(), e.getValue());
            }
        }
    }

    @Override
    public synchronized LockHandle lock(Path lockFile, boolean wait) throws IOException {
        io();
        Path p = norm(lockFile);
        requireDir(p.getParent());
        live.computeIfAbsent(p, x -> new Inode(new byte[0]));
        while (locks.contains(p)) {
            if (!wait) {
                return null;
            }
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for lock " + p, e);
            }
            if (frozen) {
                throw new IOException(POWER_LOSS);
            }
        }
        locks.add(p);
        return new Lock(p);
    }

    private final class Lock implements LockHandle {
        private final Path path;
        private boolean released;

        Lock(Path path) {
            this.path = path;
        }

        @Override
        public void close() throws IOException {
            synchronized (SimulatedDisk.this) {
                try {
                    io();
                } finally {
                    if (!released) {
                        released = true;
                        locks.remove(path);
                        SimulatedDisk.this.notifyAll();
                    }
                }
            }
        }
    }

    private final class Handle implements FileHandle {
        private final Path path;
        private final Inode inode;
        private final boolean writable;
        private boolean closed;

        Handle(Path path, Inode inode, boolean writable) {
            this.path = path;
            this.inode = inode;
            this.writable = writable;
        }

        @Override
        public Path path() {
            return path;
        }

        @Override
        public Object fileKey() {
            return inode.number;
        }

        private void check() throws IOException {
            io();
            if (closed) {
                throw new IOException("closed: " + path);
            }
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            synchronized (SimulatedDisk.this) {
                check();
                if (position < 0) {
                    throw new IllegalArgumentException("negative position " + position);
                }
                if (position >= inode.length) {
                    return 0;
                }
                int n = (int) Math.min(dst.remaining(), inode.length - position);
                dst.put(inode.data, (int) position, n);
                return n;
            }
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            synchronized (SimulatedDisk.this) {
                check();
                if (!writable) {
                    throw new IOException("opened read-only: " + path);
                }
                if (position < 0) {
                    throw new IllegalArgumentException("negative position " + position);
                }
                byte[] bytes = new byte[src.remaining()];
                src.get(bytes);
                inode.write(position, bytes);
            }
        }

        @Override
        public void force() throws IOException {
            synchronized (SimulatedDisk.this) {
                check();
                if (forces++ == failingForce) {
                    inode.loseUnforced();
                    throw new IOException(WRITEBACK_ERROR + " on " + path);
                }
                inode.force();
            }
        }

        @Override
        public long size() throws IOException {
            synchronized (SimulatedDisk.this) {
                check();
                return inode.length;
            }
        }

        @Override
        public void close() throws IOException {
            synchronized (SimulatedDisk.this) {
                closed = true;
                io();
            }
        }
    }
}
