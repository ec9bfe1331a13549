package org.mm4j.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;

/**
 * A user who enables Error Prone gets a compile error for a scope, handle scope, global, pin or owner left
 * unclosed: the factories carry {@code @MustBeClosed}. Compiles snippets with javac and Error Prone, as a
 * user's build would, in a separate process.
 */
class MustBeClosedCompileTest {
    /** The flags javac needs to load Error Prone on JDK 16 and later (Error Prone's installation guide). */
    private static final List<String> JAVAC_EXPORTS = List.of(
            "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.main=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.model=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.processing=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
            "--add-opens=jdk.compiler/com.sun.tools.javac.code=ALL-UNNAMED",
            "--add-opens=jdk.compiler/com.sun.tools.javac.comp=ALL-UNNAMED");

    @TempDir
    Path dir;

    record Result(int exitCode, String output) {}

    /** Compiles a class whose method {@code i} has {@code bodies.get(i)}, each at line 6 + 3i. */
    private Result compile(List<String> bodies) throws IOException, InterruptedException {
        StringBuilder source = new StringBuilder("""
                import org.mm4j.heap.*;

                class Snippet {
                    static final Type T = Type.struct("Snippet").intField("x").build();
                """);
        for (int i = 0; i < bodies.size(); i++) {
            source.append("    void run").append(i).append("(Heap heap, long handle) {\n        ")
                    .append(bodies.get(i)).append("\n    }\n");
        }
        source.append("}\n");
        Path file = dir.resolve("Snippet.java");
        Files.writeString(file, source.toString(), StandardCharsets.UTF_8);
        String classPath = classPath();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "javac").toString());
        JAVAC_EXPORTS.forEach(flag -> command.add("-J" + flag));
        command.addAll(List.of("-XDcompilePolicy=simple", "--should-stop=ifError=FLOW",
                "-processorpath", classPath,
                "-Xplugin:ErrorProne -XepDisableAllChecks -Xep:MustBeClosedChecker:ERROR",
                "-cp", classPath, "-d", dir.resolve("out").toString(), file.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "javac finished");
        return new Result(process.exitValue(), output);
    }

    /**
     * The test class path (Error Prone and its dependencies) plus what the module path holds: mm4j's
     * classes and Error Prone's annotations.
     */
    private static String classPath() {
        String tests = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return String.join(java.io.File.pathSeparator, tests, locationOf(Heap.class.getName()),
                locationOf("com.google.errorprone.annotations.MustBeClosed"));
    }

    /** Where a class was loaded from (by name: Error Prone's classes are not referred to at compile time). */
    private static String locationOf(String className) {
        try {
            Class<?> type = Class.forName(className);
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (ReflectiveOperationException | java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void closedResourcesCompile() throws Exception {
        Result r = compile(List.of("""
                try (Scope s = heap.openScope(); HandleScope h = heap.openHandleScope();
                             Unique u = s.allocateUnique(T); Pin p = heap.pin(handle)) {
                            s.allocate(64);
                        }"""));
        assertEquals(0, r.exitCode(), r.output());
    }

    /** One compilation, one unclosed resource per method: every one must be reported. */
    @Test
    void everyUnclosedResourceIsACompileError() throws Exception {
        List<String> lines = List.of(
                "Scope s1 = heap.openScope(); s1.allocate(64);",
                "Scope s2 = heap.openSharedScope();",
                "HandleScope h = heap.openHandleScope();",
                "GlobalHandle g = heap.newGlobal(handle);",
                "WeakGlobal w = heap.newWeakGlobal(handle, null);",
                "Pin p = heap.pin(handle);",
                "Unique u = heap.allocateUnique(T);",
                "Shared sh = heap.allocateShared(T);",
                "UniqueBuffer ub = heap.uniqueBuffer(64);",
                "SharedBuffer sb = heap.sharedBuffer(64);");
        Result r = compile(lines);
        assertNotEquals(0, r.exitCode(), r.output());
        for (int i = 0; i < lines.size(); i++) {
            assertTrue(r.output().contains("Snippet.java:" + (6 + 3 * i) + ": error: [MustBeClosedChecker]"),
                    "not reported: " + lines.get(i) + "\n" + r.output());
        }
    }
}
