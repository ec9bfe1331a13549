package org.mm4j.app;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One execution of the mm4j command line, as {@link Main#main} runs it, with what it printed.
 *
 * @param exitCode the exit code main would exit with
 * @param out what it printed to standard output
 * @param err what it printed to standard error
 */
record CommandRun(int exitCode, String out, String err) {

  static CommandRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new CommandRun(exitCode, out.toString(), err.toString());
  }

  /** Both outputs, for assertion messages. */
  String transcript() {
    return out + "\n--- stderr ---\n" + err;
  }
}
