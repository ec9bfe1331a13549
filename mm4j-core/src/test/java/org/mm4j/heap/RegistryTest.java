package org.mm4j.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The id registry behind {@link Type#ofId}: ids handed out once, values found after growth. */
class RegistryTest {

    @Test
    void idsRunFromOneToTheLimitAndThenRunOut() {
        Registry<String> r = new Registry<>(3);
        assertEquals(1, r.reserveId());
        assertEquals(2, r.reserveId());
        assertEquals(3, r.reserveId());
        assertEquals(0, r.reserveId());
        assertEquals(0, r.reserveId(), "a refused request does not move the counter");
        assertEquals(3, r.limit());
    }

    @Test
    void valuesPublishedInAnyOrderAreFoundAcrossGrowth() {
        Registry<String> r = new Registry<>(10_000);
        int[] ids = new int[1000];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = r.reserveId();
        }
        assertNull(r.get(ids[999]), "reserved, not yet published");
        r.publish(ids[999], "last"); // grows the slots past the initial 64 before the others are there
        r.publish(ids[0], "first");
        for (int i = 1; i < 999; i++) {
            r.publish(ids[i], "v" + i);
        }
        assertEquals("first", r.get(1));
        assertEquals("last", r.get(1000));
        for (int i = 1; i < 999; i++) {
            assertEquals("v" + i, r.get(ids[i]));
        }
        assertNull(r.get(0), "0 is never an id");
        assertNull(r.get(-5));
        assertNull(r.get(1001));
        assertNull(r.get(Integer.MAX_VALUE));
    }

    @Test
    void theSlotsNeverGrowPastTheLimit() {
        Registry<String> r = new Registry<>(100);
        for (int i = 1; i <= 100; i++) {
            r.publish(r.reserveId(), "v" + i);
        }
        assertEquals("v100", r.get(100));
        assertNull(r.get(101));
        assertThrows(IllegalArgumentException.class, () -> new Registry<String>(0));
        assertThrows(IllegalArgumentException.class, () -> new Registry<String>(Integer.MAX_VALUE));
    }
}
