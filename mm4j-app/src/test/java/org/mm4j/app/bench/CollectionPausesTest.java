package org.mm4j.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
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

    /** A minor collection of 300 µs, 20 µs of it stopping, as its thread reports it. */
    private static void minor(CollectionRecorder recorder) {
        recorder.accept(event(Phase.START, GarbageCollector.YOUNG, 0));
        recorder.accept(new CollectionEvent(Phase.STOP, GarbageCollector.YOUNG, 0, 0, 300_000, 20_000));
    }

    @Test
    void theRecorderKeepsEachKindsLongestPauseAndEachPausesTimeToStop() {
        CollectionRecorder recorder = new CollectionRecorder();
        recorder.record(true);
        minor(recorder);
        recorder.accept(event(Phase.START, GarbageCollector.OLD, 0)); // a cycle
        recorder.accept(new CollectionEvent(Phase.PAUSE, GarbageCollector.OLD, 0, 0, 125_000, 125_000)); // gave up
        recorder.accept(new CollectionEvent(Phase.PAUSE, GarbageCollector.OLD, 0, 0, 450_000, 30_000));
        recorder.accept(new CollectionEvent(Phase.STOP, GarbageCollector.OLD, 0, 0, 575_000, 155_000));
        recorder.accept(new CollectionEvent(Phase.PAUSE, GarbageCollector.YOUNG, 0, 0, 90_000, 10_000)); // reclaim
        recorder.accept(event(Phase.START, GarbageCollector.OLD, 0)); // a full collection
        recorder.accept(new CollectionEvent(Phase.STOP, GarbageCollector.OLD, 0, 0, 9_000_000, 40_000));
        recorder.record(false);
        assertEquals(300_000, recorder.pauseMax(CollectionRecorder.MINOR));
        assertEquals(300_000, recorder.pauseMax(CollectionRecorder.STARTING_MINOR), "the cycle's START followed it");
        assertEquals(450_000, recorder.pauseMax(CollectionRecorder.OLD_PAUSE));
        assertEquals(9_000_000, recorder.pauseMax(CollectionRecorder.FULL));
        assertEquals(5, recorder.pauseHistogram().getTotalCount(), "the cycle's STOP is no pause of its own");
        assertEquals(5, recorder.stopHistogram().getTotalCount());
        assertEquals(125_000, recorder.stopHistogram().getMaxValue(), 125_000 * 0.01);
        assertEquals(List.of("minor-starting-cycle 300000 20000", "old 125000 125000", "old 450000 30000",
                "scopes 90000 10000", "full 9000000 40000"), recorder.pauseLog().stream()
                        .map(p -> p.kind() + " " + p.pauseNanos() + " " + p.stopNanos()).toList(),
                "the log of pauses, each with its kind");
    }

    @Test
    void aPauseOfAnotherThreadBetweenTheMinorAndTheCyclesStartIsNotTakenForTheMinor() {
        CollectionRecorder recorder = new CollectionRecorder();
        recorder.record(true);
        minor(recorder);
        recorder.accept(new CollectionEvent(Phase.PAUSE, GarbageCollector.YOUNG, 0, 0, 90_000, 10_000)); // reclaim
        recorder.accept(event(Phase.START, GarbageCollector.OLD, 0)); // the cycle the minor collection started
        recorder.accept(new CollectionEvent(Phase.PAUSE, GarbageCollector.OLD, 0, 0, 200_000, 30_000));
        recorder.record(false);
        assertEquals(List.of("minor-starting-cycle", "scopes", "old"),
                recorder.pauseLog().stream().map(p -> p.kind()).toList());
    }

    @Test
    void aMinorCollectionBeforeAFullOneDidNotStartACycle() {
        CollectionRecorder recorder = new CollectionRecorder();
        recorder.record(true);
        minor(recorder);
        recorder.accept(event(Phase.START, GarbageCollector.OLD, 0)); // a full collection: no PAUSE follows
        recorder.accept(new CollectionEvent(Phase.STOP, GarbageCollector.OLD, 0, 0, 9_000_000, 40_000));
        recorder.accept(new CollectionEvent(Phase.PAUSE, GarbageCollector.OLD, 0, 0, 100_000, 10_000)); // evacuation
        recorder.record(false);
        assertEquals(List.of("minor", "full", "old"), recorder.pauseLog().stream().map(p -> p.kind()).toList());
        assertEquals(0, recorder.pauseMax(CollectionRecorder.STARTING_MINOR));
    }

    @Test
    void theRecorderCountsTheAssistsOfTheRecordedPartsOnly() {
        long[] assists = {100};
        GarbageCollector gc = (GarbageCollector) java.lang.reflect.Proxy.newProxyInstance(
                GarbageCollector.class.getClassLoader(), new Class<?>[] {GarbageCollector.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "assistNanos" -> assists[0];
                    case "stopsGivenUp" -> 0L;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        CollectionRecorder recorder = new CollectionRecorder();
        recorder.countAssists(gc);
        recorder.record(true);
        assists[0] = 350;
        recorder.record(false);
        assists[0] = 1000; // not recording
        recorder.record(true);
        assists[0] = 1100;
        recorder.record(false);
        assertEquals(350, recorder.assistNanos());
        assertEquals(350, recorder.cpuNanos(), "assists are collector work done on the program's threads");
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
