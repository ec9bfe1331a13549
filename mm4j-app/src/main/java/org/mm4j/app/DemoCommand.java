package org.mm4j.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mm4j demo}: the main job, a healthcare workload run through mm4j's allocators. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Run the healthcare workload through mm4j's allocators and print statistics")
final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().println("demo: not yet wired");
    return 0;
  }
}
