package org.mm4j.app.bench;

import java.util.SplittableRandom;

/**
 * The churn workload as ordinary Java objects on the JVM's heap: the classes a Java programmer would
 * write for the same records — their fields are {@link ChurnRecords}' — with the lists as {@code next}
 * fields and the table as an array of pages.
 */
final class JavaChurn implements ChurnWorkload {

    static final class Patient extends ChurnRecords.Patient {
        Visit visits;
    }

    static final class Visit extends ChurnRecords.Visit {
        Lab labs;
        Visit next;
    }

    static final class Lab extends ChurnRecords.Lab {
        Lab next;
    }

    private final ChurnShape shape;
    private Patient[][] directory;

    JavaChurn(ChurnShape shape) {
        this.shape = shape;
    }

    @Override
    public ChurnShape shape() {
        return shape;
    }

    @Override
    public long build(SplittableRandom random) {
        if (directory != null) {
            throw new IllegalStateException("built already");
        }
        Patient[][] pages = new Patient[shape.pages()][];
        Maker maker = new Maker(random);
        for (int p = 0; p < pages.length; p++) {
            pages[p] = new Patient[ChurnShape.PAGE_SLOTS];
            for (int slot = 0; slot < ChurnShape.PAGE_SLOTS; slot++) {
                pages[p][slot] = maker.patient();
            }
        }
        directory = pages;
        return maker.keys;
    }

    @Override
    public Worker worker(int thread, SplittableRandom random) {
        return new JavaWorker(thread, random);
    }

    @Override
    public int touch() {
        return directory.length;
    }

    @Override
    public Census census() {
        long records = 0;
        long keys = 0;
        long damaged = 0;
        for (Patient[] page : directory) {
            for (Patient p : page) {
                if (p == null) {
                    damaged++;
                    continue;
                }
                records++;
                keys += p.id;
                damaged += p.isIntact() ? 0 : 1;
                int visits = 0;
                for (Visit v = p.visits; v != null; v = v.next) {
                    visits++;
                    records++;
                    keys += v.id;
                    damaged += v.isIntact() ? 0 : 1;
                    int labs = 0;
                    for (Lab l = v.labs; l != null; l = l.next) {
                        labs++;
                        records++;
                        keys += l.id;
                        damaged += l.isIntact() ? 0 : 1;
                    }
                    damaged += labs == ChurnShape.LABS ? 0 : 1;
                }
                damaged += visits == ChurnShape.VISITS ? 0 : 1;
            }
        }
        return new Census(records, keys, damaged);
    }

    @Override
    public void close() {
        directory = null;
    }

    /** Makes new records, drawing their keys in creation order and summing them in {@link #keys}. */
    private static final class Maker {
        final SplittableRandom random;
        long keys;

        Maker(SplittableRandom random) {
            this.random = random;
        }

        Patient patient() {
            Patient p = new Patient();
            p.derive(random.nextLong());
            keys += p.id;
            Visit head = null;
            for (int v = 0; v < ChurnShape.VISITS; v++) {
                Visit visit = visit();
                visit.next = head;
                head = visit;
            }
            p.visits = head;
            return p;
        }

        Visit visit() {
            Visit v = new Visit();
            v.derive(random.nextLong());
            keys += v.id;
            Lab head = null;
            for (int l = 0; l < ChurnShape.LABS; l++) {
                Lab lab = lab();
                lab.next = head;
                head = lab;
            }
            v.labs = head;
            return v;
        }

        Lab lab() {
            Lab l = new Lab();
            l.derive(random.nextLong());
            keys += l.id;
            return l;
        }
    }

    private final class JavaWorker implements Worker {
        private final int thread;
        private final ChurnShape.Op op = new ChurnShape.Op();
        private final Maker maker;
        private long removed;

        JavaWorker(int thread, SplittableRandom random) {
            this.thread = shape.checkThread(thread);
            this.maker = new Maker(random);
        }

        @Override
        public void operate() {
            op.draw(maker.random, shape, thread);
            Patient[] page = directory[op.page];
            Patient patient = page[op.slot];
            switch (op.kind) {
                case ChurnShape.Op.REPLACE_PATIENT -> {
                    long keys = patient.id;
                    for (Visit v = patient.visits; v != null; v = v.next) {
                        keys += visitKeys(v);
                    }
                    removed += keys;
                    page[op.slot] = maker.patient();
                }
                case ChurnShape.Op.REPLACE_VISIT -> {
                    Visit previous = null;
                    Visit visit = patient.visits;
                    for (int i = 0; i < op.visit; i++) {
                        previous = visit;
                        visit = visit.next;
                    }
                    removed += visitKeys(visit);
                    if (previous == null) {
                        patient.visits = visit.next;
                    } else {
                        previous.next = visit.next;
                    }
                    Visit fresh = maker.visit();
                    fresh.next = patient.visits;
                    patient.visits = fresh;
                }
                default -> {
                    Visit visit = patient.visits;
                    for (int i = 0; i < op.visit; i++) {
                        visit = visit.next;
                    }
                    Lab previous = null;
                    Lab lab = visit.labs;
                    for (int i = 0; i < op.lab; i++) {
                        previous = lab;
                        lab = lab.next;
                    }
                    removed += lab.id;
                    if (previous == null) {
                        visit.labs = lab.next;
                    } else {
                        previous.next = lab.next;
                    }
                    Lab fresh = maker.lab();
                    fresh.next = visit.labs;
                    visit.labs = fresh;
                }
            }
        }

        private static long visitKeys(Visit visit) {
            long keys = visit.id;
            for (Lab l = visit.labs; l != null; l = l.next) {
                keys += l.id;
            }
            return keys;
        }

        @Override
        public long keyDelta() {
            return maker.keys - removed;
        }
    }
}
