// `cellc help [VERB]`, as a user types it: the same text as `cellc VERB --help` for every verb the
// general help lists, and a one-line usage error (exit 2) for a verb that does not exist.
import { describe, expect, it } from "vitest";
import { STACK_FRAME, cellc } from "../helpers/cli.js";

/** The verbs as the general help lists them ("  NAME  summary" under "verbs:"), so none is missed. */
function listedVerbs(): string[] {
  const help = cellc(["--help"]).stdout;
  const section = help.split("\nverbs:\n")[1]?.split("\n\n")[0] ?? "";
  return section.split("\n").map((line) => /^ {2}(\S+) {2}/.exec(line)?.[1] ?? `?${line}`);
}

const VERBS = listedVerbs();

describe("cellc help", () => {
  it("finds the verbs in the general help", () => {
    expect(VERBS).toEqual(expect.arrayContaining(["check", "ir", "compile", "run", "compare"]));
    expect(VERBS.filter((v) => v.startsWith("?"))).toEqual([]);
  });

  it.each(VERBS)(
    "prints for 'help %s' exactly what the verb's --help prints, and exits 0",
    (verb) => {
      const viaHelp = cellc(["help", verb]);
      const viaOption = cellc([verb, "--help"]);
      expect(viaOption.code).toBe(0);
      expect(viaOption.stdout).toMatch(new RegExp(`^usage: cellc ${verb} `));
      expect(viaHelp.code).toBe(0);
      expect(viaHelp.stdout).toBe(viaOption.stdout);
      expect(viaHelp.stderr).toBe("");
    },
  );

  it("prints the general help for 'help' alone, as '--help' does, and exits 0", () => {
    const alone = cellc(["help"]);
    expect(alone.code).toBe(0);
    expect(alone.stdout).toBe(cellc(["--help"]).stdout);
    expect(alone.stdout).toContain("cellc help VERB");
  });

  it("rejects 'help nosuchverb' with one line that lists the verbs, and exit 2", () => {
    const r = cellc(["help", "nosuchverb"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`cellc: unknown verb 'nosuchverb' (verbs: ${VERBS.join(", ")})\n`);
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  it("rejects 'help' with more than one verb with a usage error", () => {
    const r = cellc(["help", "ir", "check"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("cellc: help takes at most one VERB (see 'cellc --help')\n");
  });
});
