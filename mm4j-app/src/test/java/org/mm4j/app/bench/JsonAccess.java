package org.mm4j.app.bench;

/** The bench package's JSON reader, for tests of the command line outside the package. */
public final class JsonAccess {
    private JsonAccess() {}

    public static Object parse(String text) {
        return Json.parse(text);
    }
}
