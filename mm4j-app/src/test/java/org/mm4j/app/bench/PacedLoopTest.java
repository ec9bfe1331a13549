package org.mm4j.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The mutator loop's accounting, with a worker that stalls once. Only lower bounds on times are
 * asserted: a slow machine makes every latency longer, never shorter.
 */
class PacedLoopTest {
    private static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** A worker whose 20th operation takes 50 ms; the others nothing. */
    static final class StallingWorker implements ChurnWorkload.Worker {
        int operations;

        @Override
        public void operate() {
            if (++operations == 20) {
                long end = System.nanoTime() + STALL_NANOS;
                for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                    LockSupport.parkNanos(end - now);
                }
            }
        }

        @Override
        public long keyDelta() {
            return 0;
        }
    }

    @Test
    void aStallIsSeenByEveryOperationThatWasDueInIt() {
        StallingWorker worker = new StallingWorker();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
        // 1000 ops/s for 300 ms, all measured.
        PacedLoop loop = new PacedLoop(worker, 1000, start, start, start + TimeUnit.MILLISECONDS.toNanos(300));
        loop.run();
        assertEquals(null, loop.failure);
        assertEquals(worker.operations, loop.operations);
        assertEquals(loop.operations, loop.measuredOperations);
        assertEquals(loop.measuredOperations, loop.response.getTotalCount());
        assertEquals(300, loop.operations + loop.missedOperations, "every operation due ran or was missed");
        assertTrue(loop.service.getMaxValue() >= STALL_NANOS, "the stalled operation's own time");
        // The operations due in the 50 ms that operation took waited for it: 40 of them at least 10 ms.
        long late = loop.response.getTotalCount() - loop.response.getCountBetweenValues(0, STALL_NANOS / 5);
        assertTrue(late >= 40, "operations at least 10 ms late: " + late);
    }

    @Test
    void theWarmUpIsNotMeasuredAndAFailureStopsTheLoop() {
        StallingWorker quiet = new StallingWorker();
        long start = System.nanoTime();
        PacedLoop loop = new PacedLoop(quiet, 2000, start, start + TimeUnit.MILLISECONDS.toNanos(50),
                start + TimeUnit.MILLISECONDS.toNanos(100));
        loop.run();
        assertEquals(200, loop.operations + loop.missedOperations);
        assertTrue(loop.measuredOperations <= 100 && loop.measuredOperations < loop.operations + loop.missedOperations);

        IllegalStateException boom = new IllegalStateException("boom");
        PacedLoop failing = new PacedLoop(new ChurnWorkload.Worker() {
            @Override
            public void operate() {
                throw boom;
            }

            @Override
            public long keyDelta() {
                return 0;
            }
        }, 0, start, start, System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
        failing.run();
        assertSame(boom, failing.failure);
        assertEquals(0, failing.operations);
    }

    @Test
    void unpacedOperationsRunBackToBackUntilTheEnd() {
        StallingWorker worker = new StallingWorker();
        long start = System.nanoTime();
        PacedLoop loop = new PacedLoop(worker, 0, start, start, start + TimeUnit.MILLISECONDS.toNanos(100));
        loop.run();
        assertTrue(loop.operations > 20, "more than the one that stalled: " + loop.operations);
        assertEquals(0, loop.missedOperations);
        assertEquals(loop.response.getTotalCount(), loop.service.getTotalCount());
        assertEquals(loop.response.getMaxValue(), loop.service.getMaxValue(), "unpaced: response is service");
    }
}
