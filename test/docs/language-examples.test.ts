// docs/language.md is checked, not only written: every `$ cellc ...` transcript whose file is a
// complete cell of the doc (a ```cell block with a `cell` and an `output` declaration) or a
// shipped one prints exactly what the doc shows, every other complete cell compiles without
// errors, and every IR excerpt (lines `  %n = ...  ; NAME.cell:L:C`) appears in that cell's IR
// (after the pass the prose just before it names as `--after PASS`, if it names one).
// Transcripts of files the doc shows only in part (most error examples) cannot be run.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { compile, formatShort } from "../../src/index.js";

const DOC = readFileSync("docs/language.md", "utf8");
const CLI = resolve("dist/cli/main.js");

interface Block {
  readonly lang: string;
  readonly text: string;
  readonly line: number;
  /** The prose between the previous block and this one. */
  readonly before: string;
}

/** Fenced blocks, dedented by their first line's indentation (blocks inside list items). */
function blocks(markdown: string): Block[] {
  const out: Block[] = [];
  let previousEnd = 0;
  for (const m of markdown.matchAll(/^( *)```(\w*)\n([\s\S]*?)^ *```$/gm)) {
    const before = markdown.slice(previousEnd, m.index);
    previousEnd = m.index + m[0].length;
    const indent = m[1]!.length;
    const text = m[3]!
      .split("\n")
      .map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)))
      .join("\n");
    out.push({ lang: m[2]!, text, line: markdown.slice(0, m.index).split("\n").length, before });
  }
  return out;
}

const BLOCKS = blocks(DOC);

/** The complete cells by name: a `cell NAME` and an `output` declaration. */
const CELLS = new Map(
  BLOCKS.filter((b) => b.lang === "cell" && /^output /m.test(b.text))
    .map((b) => [/^cell (\w+)/m.exec(b.text)?.[1], b] as const)
    .filter((e): e is [string, Block] => e[0] !== undefined),
);

/** The source of NAME.cell: a complete cell of the doc, else the shipped one, else null. */
function sourceOf(file: string): string | null {
  const name = file.replace(/\.cell$/, "");
  const own = CELLS.get(name);
  if (own) return own.text;
  return existsSync(`cells/${file}`) ? readFileSync(`cells/${file}`, "utf8") : null;
}

/** `a 'b c' d` -> [a, b c, d]: the shell's single quotes, all the doc uses. */
const words = (command: string): string[] =>
  [...command.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);

/** Runs cellc in a folder holding the cell files `args` name; null if one is not in the doc. */
function run(args: readonly string[]): string | null {
  const dir = mkdtempSync(join(tmpdir(), "cellc-doc-"));
  for (const file of args.filter((a) => a.endsWith(".cell"))) {
    const source = sourceOf(file);
    if (source === null) return null;
    writeFileSync(join(dir, file), source);
  }
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: "utf8" });
  return `${r.stderr}${r.stdout}`.trimEnd();
}

const TRANSCRIPTS = BLOCKS.filter((b) => b.text.startsWith("$ cellc ")).map((b) => {
  const [command = "", ...output] = b.text.trimEnd().split("\n");
  return { ...b, args: words(command.slice("$ cellc ".length)), output: output.join("\n") };
});

/** IR excerpts: blocks of `  %n = ...` lines, each naming its file. */
const EXCERPTS = BLOCKS.filter((b) => /^ {2}%\d+ = /.test(b.text)).map((b) => ({
  ...b,
  file: /; (?:\S+ {2})?(\w+\.cell):\d+:\d+$/m.exec(b.text)?.[1] ?? "",
  after: [...b.before.matchAll(/--after ([\w-]+)/g)].at(-1)?.[1] ?? null,
}));

/** Cells a transcript runs: what they print (errors too) is checked there instead. */
const TRANSCRIBED = new Set(
  TRANSCRIPTS.flatMap((t) => t.args.map((a) => a.replace(/\.cell$/, ""))),
);

describe("docs/language.md", () => {
  it.each([...CELLS].filter(([name]) => !TRANSCRIBED.has(name)).map(([name, b]) => ({ name, b })))(
    "compiles the complete cell $name without errors",
    ({ name, b }) => {
      const result = compile(b.text, { file: `${name}.cell` });
      const errors = result.diagnostics.filter((d) => d.severity === "error");
      expect(errors.map((d) => formatShort(d, result.source))).toEqual([]);
    },
  );

  const runnable = TRANSCRIPTS.filter((t) =>
    t.args.filter((a) => a.endsWith(".cell")).every((f) => sourceOf(f) !== null),
  );
  it("finds transcripts it can run, the new constructs' among them", () => {
    expect(runnable.length).toBeGreaterThanOrEqual(10);
    const commands = runnable.map((t) => t.args.join(" "));
    for (const file of ["clocked_rnn.cell", "eps_rnn.cell", "gated.cell"])
      expect(commands.some((c) => c.includes(file))).toBe(true);
  });

  it.each(runnable.map((t) => ({ ...t, command: t.args.join(" ") })))(
    "prints what line $line shows when running cellc $command",
    ({ args, output }) => {
      expect(run(args)).toBe(output);
    },
  );

  it.each(EXCERPTS.filter((e) => sourceOf(e.file) !== null))(
    "shows IR that cellc ir $file prints (line $line, after $after)",
    ({ file, text, after }) => {
      const ir = run(["ir", file, ...(after === null ? [] : ["--after", after])])!.split("\n");
      for (const line of text.trimEnd().split("\n")) expect(ir).toContain(line);
    },
  );
});
