package org.mm4j.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.mm4j.heap.GarbageCollector;
import org.mm4j.heap.GarbageCollector.CollectionEvent;
import org.mm4j.heap.GarbageCollector.CollectionEvent.Phase;

class CollectionPausesTest {
    private static CollectionEvent event(Phase phase, int generation, long pauseNanos) {
        return new CollectionEvent(phase, generation, 0, 0, pauseNanos);
    }

    @Test
    void minorAndFullCollectionsArePausesAtTheirStop() {
        CollectionPauses kinds = new CollectionPauses();
        assertEquals(-1, kinds.pauseOf(event(Phase.START, GarbageCollector.YOUNG, 0)));
        assertEquals(700, kinds.pauseOf(event(Phase.STOP, GarbageCollector.YOUNG, 700)));
        assertEquals(-1, kinds.pauseOf(event(Phase.START, GarbageCollector.OLD, 0)));
        assertEquals(9000, kinds.pauseOf(event(Phase.STOP, GarbageCollector.OLD, 9000)), "a full collection");
    }

    @Test
    void aCyclesPausesCountOneByOneAndItsTotalNot() {
        CollectionPauses kinds = new CollectionPauses();
        kinds.pauseOf(event(Phase.START, GarbageCollector.YOUNG, 0));
        kinds.pauseOf(event(Phase.STOP, GarbageCollector.YOUNG, 500)); // the minor collection that starts it
        assertEquals(-1, kinds.pauseOf(event(Phase.START, GarbageCollector.OLD, 0)));
        assertEquals(400, kinds.pauseOf(event(Phase.PAUSE, GarbageCollector.OLD, 400)), "remark");
        assertEquals(300, kinds.pauseOf(event(Phase.STOP, GarbageCollector.YOUNG, 300)), "a minor meanwhile");
        assertEquals(450, kinds.pauseOf(event(Phase.PAUSE, GarbageCollector.OLD, 450)), "a cycle pause");
        assertEquals(-1, kinds.pauseOf(event(Phase.STOP, GarbageCollector.OLD, 850)), "the cycle's total");
        kinds.pauseOf(event(Phase.START, GarbageCollector.OLD, 0));
        assertEquals(5000, kinds.pauseOf(event(Phase.STOP, GarbageCollector.OLD, 5000)), "then a full one");
    }

    @Test
    void scopeReclaimPausesAreYoungPausesThatLeaveCyclesAlone() {
        CollectionPauses kinds = new CollectionPauses();
        assertEquals(120, kinds.pauseOf(event(Phase.PAUSE, GarbageCollector.YOUNG, 120)));
        kinds.pauseOf(event(Phase.START, GarbageCollector.OLD, 0));
        assertEquals(120, kinds.pauseOf(event(Phase.PAUSE, GarbageCollector.YOUNG, 120)));
        assertEquals(6000, kinds.pauseOf(event(Phase.STOP, GarbageCollector.OLD, 6000)), "a full collection");
    }
}
