package org.mm4j.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemoryBudgetTest {

    @Test
    void refusalChangesNothingOnTheWholePath() {
        MemoryBudget root = MemoryBudget.of("root", 100);
        MemoryBudget child = root.child("child", 80);
        child.reserve(50);
        MemoryBudget other = root.child("other", 1000);
        MemoryLimitExceededException e = assertThrows(MemoryLimitExceededException.class, () -> other.reserve(60));
        assertEquals("root", e.budgetName());
        assertEquals(0, other.usedBytes());
        assertEquals(50, root.usedBytes());
        assertFalse(child.tryReserve(31));
        assertEquals(50, child.usedBytes());
        assertTrue(child.tryReserve(30));
        assertEquals(80, root.usedBytes());
        assertEquals(80, root.peakBytes());
        child.release(80);
        assertEquals(0, root.usedBytes());
        assertEquals(80, root.peakBytes());
        assertThrows(IllegalArgumentException.class, () -> child.release(1));
        assertThrows(IllegalArgumentException.class, () -> child.reserve(-1));
        assertThrows(IllegalArgumentException.class, () -> MemoryBudget.of("bad", 0));
    }

    @Test
    void aRefusedRequestLeavesNoPeakBehind() {
        MemoryBudget parent = MemoryBudget.of("parent", 8 << 20);
        MemoryBudget child = parent.child("child", Long.MAX_VALUE);
        child.reserve(1 << 20);
        assertThrows(MemoryLimitExceededException.class, () -> child.reserve(1L << 30));
        assertEquals(1 << 20, child.peakBytes());
        assertEquals(1 << 20, parent.peakBytes());
        assertEquals(1 << 20, child.usedBytes());
    }

    @Test
    void concurrentReservationsNeverPassTheLimit() throws Exception {
        MemoryBudget b = MemoryBudget.of("b", 1000);
        Thread[] ts = new Thread[4];
        java.util.concurrent.atomic.AtomicLong granted = new java.util.concurrent.atomic.AtomicLong();
        for (int t = 0; t < ts.length; t++) {
            ts[t] = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 10_000; i++) {
                    if (b.tryReserve(7)) {
                        granted.addAndGet(7);
                        assertTrue(b.usedBytes() <= 1000);
                    }
                }
            });
        }
        for (Thread t : ts) {
            t.join();
        }
        assertEquals(granted.get(), b.usedBytes());
        assertTrue(b.usedBytes() <= 1000 && b.usedBytes() > 1000 - 7);
    }
}
