/**
 * mm4j: memory management for the JVM on the Foreign Function &amp; Memory API.
 *
 * <p>Only API packages are exported; implementations live in {@code org.mm4j.internal.*}.
 * The module calls restricted FFM methods (downcalls to {@code mmap}, {@code reinterpret}), so
 * applications run with {@code --enable-native-access=org.mm4j} (module path) or
 * {@code --enable-native-access=ALL-UNNAMED} (class path).
 */
module org.mm4j {
    requires static com.google.errorprone.annotations;

    exports org.mm4j.alloc;
    exports org.mm4j.heap;
    exports org.mm4j.os;
}
