#!/usr/bin/env node
// The `cellc` command: dispatches to a verb. Every failure the user can cause ends in a one-line
// message and a non-zero exit (see exit-status.ts); only a compiler bug prints more, and only with
// CELLC_DEBUG=1.
// A closed output (`cellc ... | head`) ends it quietly: see output.ts.
import { VERSION } from "../package-info.js";
import { checkVerb } from "./check.js";
import { irVerb } from "./ir.js";
import { compileVerb } from "./compile.js";
import { runVerb } from "./run.js";
import { compareVerb } from "./compare.js";
import { importVerb } from "./import.js";
import { exportVerb } from "./export.js";
import { failureOf } from "./exit-status.js";
import { handleOutputErrors } from "./output.js";
import { parseVerbArgs, UsageError, type Verb } from "./usage.js";

const VERBS: readonly Verb[] = [
  checkVerb,
  irVerb,
  compileVerb,
  runVerb,
  compareVerb,
  importVerb,
  exportVerb,
];

function mainHelp(): string {
  const width = Math.max(...VERBS.map((v) => v.name.length));
  const verbs = VERBS.map((v) => `  ${v.name.padEnd(width)}  ${v.summary}`).join("\n");
  return `usage: cellc VERB [options]

cellc compiles recurrent-cell equations written in .cell files.

verbs:
${verbs}

Run 'cellc help VERB' (or 'cellc VERB --help') for a verb's options.`;
}

function findVerb(name: string): Verb {
  const verb = VERBS.find((v) => v.name === name);
  if (!verb)
    throw new UsageError(`unknown verb '${name}' (verbs: ${VERBS.map((v) => v.name).join(", ")})`);
  return verb;
}

/** `cellc help [VERB]`: the text of `cellc --help`, or exactly that of `cellc VERB --help`. */
function helpText(topics: readonly string[]): string {
  const [topic, ...extra] = topics;
  if (extra.length > 0) throw new UsageError("help takes at most one VERB (see 'cellc --help')");
  return topic === undefined ? mainHelp() : findVerb(topic).help;
}

async function main(argv: readonly string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === "--help" || first === "-h") {
    process.stdout.write(`${mainHelp()}\n`);
    return first === undefined ? 2 : 0;
  }
  if (first === "help") {
    process.stdout.write(`${helpText(rest)}\n`);
    return 0;
  }
  if (first === "--version" || first === "-v") {
    process.stdout.write(`cellc ${VERSION}\n`);
    return 0;
  }
  const verb = findVerb(first);
  const { values, positionals } = parseVerbArgs(verb, rest);
  if (values["help"]) {
    process.stdout.write(`${helpText([verb.name])}\n`);
    return 0;
  }
  return verb.run(values, positionals);
}

handleOutputErrors();

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const failure = failureOf(e, Boolean(process.env["CELLC_DEBUG"]));
    process.stderr.write(`cellc: ${failure.message}\n`);
    process.exitCode = failure.status;
  },
);
