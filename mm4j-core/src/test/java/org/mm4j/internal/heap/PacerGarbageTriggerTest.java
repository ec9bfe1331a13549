package org.mm4j.internal.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mm4j.heap.Heap;

/**
 * The pacer's garbage trigger, on a clock of the test's: a cycle starts once the garbage the last one found,
 * at the rate it found it, has likely reached half the room the growth factor gives — and not before, where
 * the old space's growth alone would not start one.
 */
class PacerGarbageTriggerTest {
    private static final long MB = 1L << 20;
    private static final long SECOND = 1_000_000_000L;

    /** A clock the test sets. */
    private static final class Clock {
        long now;
    }

    /**
     * One cycle from 0 to 10 s over a 100 MiB old space that leaves 100 MiB and frees 50 MiB: garbage found
     * at 5 MiB a second (from the start of the pacer's time), and the old space grown by 50 MiB meanwhile
     * (freed and replaced). Returns the pacer, at the cycle's end.
     */
    private static Pacer afterOneCycle(HeapImpl heap, double growthFactor, Clock clock) {
        clock.now = 0;
        Pacer pacer = new Pacer(heap, 1_000_000, growthFactor, () -> clock.now);
        pacer.cycleStarted(100 * MB, 1_000_000);
        clock.now = 10 * SECOND;
        pacer.cycleEnded(100 * MB, 50 * MB, 1_000_000);
        return pacer;
    }

    @Test
    void aCycleStartsWhenTheGarbageLikelyReachedHalfTheGrowthFactorsRoom() {
        try (Heap h = Heap.builder().name("pacer").collectorThreads(0).build()) {
            HeapImpl heap = (HeapImpl) h;
            Clock clock = new Clock();
            // growth factor 2: half of 100 MiB of room is 50 MiB of garbage, ten seconds at 5 MiB a second
            Pacer pacer = afterOneCycle(heap, 2.0, clock);
            clock.now = 19 * SECOND;
            assertFalse(pacer.shouldStart(100 * MB), "45 MiB of garbage, growth below its trigger");
            clock.now = 21 * SECOND;
            assertTrue(pacer.shouldStart(100 * MB), "55 MiB of garbage");

            // growth factor 3: half of 200 MiB is 100 MiB, twenty seconds
            pacer = afterOneCycle(heap, 3.0, clock);
            clock.now = 29 * SECOND;
            assertFalse(pacer.shouldStart(100 * MB), "95 MiB of garbage");
            clock.now = 31 * SECOND;
            assertTrue(pacer.shouldStart(100 * MB), "105 MiB of garbage");
        }
    }

    @Test
    void withoutGarbageFoundOnlyTheOldSpacesGrowthStartsACycle() {
        try (Heap h = Heap.builder().name("pacer").collectorThreads(0).build()) {
            HeapImpl heap = (HeapImpl) h;
            Clock clock = new Clock();
            Pacer pacer = new Pacer(heap, 1_000_000, 2.0, () -> clock.now);
            pacer.cycleStarted(100 * MB, 1_000_000);
            clock.now = 10 * SECOND;
            pacer.cycleEnded(100 * MB, 0, 1_000_000); // nothing freed, nothing grown
            clock.now = 1_000 * SECOND;
            assertFalse(pacer.shouldStart(100 * MB), "no garbage rate, no growth");
            assertEquals(200 * MB, pacer.trigger(), "no growth measured: the trigger is the goal, twice the live");
            assertFalse(pacer.shouldStart(200 * MB - 1));
            assertTrue(pacer.shouldStart(200 * MB), "the growth trigger");
        }
    }
}
