package org.mm4j.app.bench;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * The machine's benchmark lock: the file JMH itself locks ({@code /tmp/jmh.lock}), so that benchmarks on
 * a shared machine take turns — JMH runs with each other, and the benchmark commands' own measuring
 * (the C program, the collectors' JVMs) with JMH runs.
 */
final class MachineLock {
    /** How often, and how long between attempts, to wait for another benchmark before giving up. */
    static final int ATTEMPTS = 90;
    static final long WAIT_MILLIS = 10_000;

    private MachineLock() {}

    /**
     * Takes the lock, waiting while another benchmark holds it and telling {@code waiting} so before
     * each wait. Null if it cannot be had in that time (the caller goes on, and says so).
     */
    static FileLock take(Consumer<String> waiting) throws IOException, InterruptedException {
        FileChannel channel = FileChannel.open(Path.of(System.getProperty("java.io.tmpdir"), "jmh.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock != null) {
                return lock;
            }
            waiting.accept(waitingMessage(attempt));
            Thread.sleep(WAIT_MILLIS);
        }
        channel.close();
        return null;
    }

    /** What a command prints before it waits for the lock the {@code attempt}-th time. */
    static String waitingMessage(int attempt) {
        return "another JMH run holds /tmp/jmh.lock; waiting " + WAIT_MILLIS / 1000 + " s (attempt " + attempt
                + " of " + ATTEMPTS + ")";
    }
}
