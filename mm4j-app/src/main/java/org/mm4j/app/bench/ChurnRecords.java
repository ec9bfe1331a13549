package org.mm4j.app.bench;

/**
 * The values of the churn workload's records, shared by its two implementations ({@link HeapChurn} in
 * an mm4j heap, {@link JavaChurn} as Java objects) so that both store exactly the same data.
 *
 * <p>Every record has a random 64-bit key (its {@code id}); all its other fields are derived from the key
 * (splitmix64 of the key and the field's number), and its {@code check} field is a hash of all its
 * fields. A record read back whose check does not match its fields was corrupted — moved wrongly, read
 * from freed memory, mixed with another — and the census that reads every record at the end of a run
 * fails. The classes here hold a record's fields: the Java implementation's objects extend them; the
 * mm4j implementation uses one of each as scratch, filled from a key and copied into a heap object, or
 * filled from a heap object's fields and checked.
 */
final class ChurnRecords {
    private ChurnRecords() {}

    /** splitmix64's finalizer: a bijection of 64-bit values that mixes every bit. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The derived value of field number {@code field} of the record with {@code key}. */
    static long derive(long key, int field) {
        return mix(key + (field + 1) * 0x9E3779B97F4A7C15L);
    }

    /** A double in [low, low + range) from 53 bits of {@code bits}. */
    private static double scaled(long bits, double low, double range) {
        return low + (bits >>> 11) * 0x1.0p-53 * range;
    }

    /** The next step of a record's check hash. */
    private static long step(long hash, long value) {
        return mix(hash ^ value);
    }

    /** A patient: the head of a group, with its list of visits. */
    static class Patient {
        long id;
        long admitted;
        long insurer;
        long code;
        double weight;
        double height;
        int birthYear;
        int check;
        byte sex;

        /** Fills every field from {@code key}, the check included. */
        final Patient derive(long key) {
            id = key;
            admitted = ChurnRecords.derive(key, 0);
            insurer = ChurnRecords.derive(key, 1);
            code = ChurnRecords.derive(key, 2);
            weight = scaled(ChurnRecords.derive(key, 3), 3, 150);
            height = scaled(ChurnRecords.derive(key, 4), 45, 160);
            birthYear = 1930 + (int) ((ChurnRecords.derive(key, 5) >>> 1) % 91);
            sex = (ChurnRecords.derive(key, 6) & 1) == 0 ? (byte) 'F' : (byte) 'M';
            check = expectedCheck();
            return this;
        }

        /** The check that the other fields call for. */
        final int expectedCheck() {
            long h = step(id, admitted);
            h = step(h, insurer);
            h = step(h, code);
            h = step(h, Double.doubleToRawLongBits(weight));
            h = step(h, Double.doubleToRawLongBits(height));
            h = step(h, birthYear);
            return (int) step(h, sex);
        }

        /** Whether the fields, as read back, are a record this workload wrote. */
        final boolean isIntact() {
            return check == expectedCheck();
        }
    }

    /** A visit: one element of a patient's list, with its list of lab results. */
    static class Visit {
        long id;
        long at;
        long physician;
        long diagnosis;
        double cost;
        int day;
        int check;
        short ward;

        final Visit derive(long key) {
            id = key;
            at = ChurnRecords.derive(key, 0);
            physician = ChurnRecords.derive(key, 1);
            diagnosis = ChurnRecords.derive(key, 2);
            cost = scaled(ChurnRecords.derive(key, 3), 20, 5000);
            day = 18_000 + (int) ((ChurnRecords.derive(key, 4) >>> 1) % 3650);
            ward = (short) (1 + (ChurnRecords.derive(key, 5) >>> 1) % 40);
            check = expectedCheck();
            return this;
        }

        final int expectedCheck() {
            long h = step(id, at);
            h = step(h, physician);
            h = step(h, diagnosis);
            h = step(h, Double.doubleToRawLongBits(cost));
            h = step(h, day);
            return (int) step(h, ward);
        }

        final boolean isIntact() {
            return check == expectedCheck();
        }
    }

    /** A lab result: one element of a visit's list. */
    static class Lab {
        long id;
        long taken;
        long reported;
        double value;
        double low;
        double high;
        int code;
        int check;
        short unit;
        byte flag;

        final Lab derive(long key) {
            id = key;
            taken = ChurnRecords.derive(key, 0);
            reported = ChurnRecords.derive(key, 1);
            value = scaled(ChurnRecords.derive(key, 2), 0, 200);
            low = scaled(ChurnRecords.derive(key, 3), 10, 40);
            high = low + scaled(ChurnRecords.derive(key, 4), 50, 100);
            code = 1000 + (int) ((ChurnRecords.derive(key, 5) >>> 1) % 99_000);
            unit = (short) ((ChurnRecords.derive(key, 6) >>> 1) % 64);
            flag = value > high ? (byte) 'H' : value < low ? (byte) 'L' : (byte) 'N';
            check = expectedCheck();
            return this;
        }

        final int expectedCheck() {
            long h = step(id, taken);
            h = step(h, reported);
            h = step(h, Double.doubleToRawLongBits(value));
            h = step(h, Double.doubleToRawLongBits(low));
            h = step(h, Double.doubleToRawLongBits(high));
            h = step(h, code);
            h = step(h, unit);
            return (int) step(h, flag);
        }

        final boolean isIntact() {
            return check == expectedCheck();
        }
    }
}
