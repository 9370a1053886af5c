// Command-line parsing shared by every verb: `--help` anywhere, repeated `--act SLOT=SPEC`, and
// one-line usage errors (exit 2) instead of exceptions.
import { parseArgs, type ParseArgsConfig } from "node:util";

export class UsageError extends Error {
  override readonly name = "UsageError";
}

export interface Verb {
  readonly name: string;
  readonly summary: string;
  readonly help: string;
  readonly options: NonNullable<ParseArgsConfig["options"]>;
  run(values: ParsedValues, positionals: readonly string[]): Promise<number> | number;
}

export type ParsedValues = Readonly<
  Record<string, string | boolean | (string | boolean)[] | undefined>
>;

export function parseVerbArgs(
  verb: Verb,
  argv: readonly string[],
): { values: ParsedValues; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: { ...verb.options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
    return { values, positionals };
  } catch (e) {
    // Node's parseArgs messages are long and name the internals; say what a user needs.
    const option = /'(-[^']*)'/.exec((e as Error).message)?.[1];
    const code = (e as { code?: string }).code;
    const what =
      code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && option
        ? `unknown option '${option}'`
        : code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && option
          ? `option '${option}' needs a value`
          : (e as Error).message.split("\n")[0]!;
    throw new UsageError(`${what} (see 'cellc ${verb.name} --help')`);
  }
}

/** `--act gate=hard_sigmoid(0.25, 0.5)` options, as a slot -> spec record. */
export function activationOverrides(values: ParsedValues): Record<string, string> {
  const raw = values["act"];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const overrides: Record<string, string> = {};
  for (const item of list) {
    const text = String(item);
    const eq = text.indexOf("=");
    if (eq <= 0)
      throw new UsageError(
        `--act expects SLOT=SPEC, such as gate=hard_sigmoid(0.25, 0.5); got '${text}'`,
      );
    overrides[text.slice(0, eq).trim()] = text.slice(eq + 1);
  }
  return overrides;
}

export const ACT_OPTION = { act: { type: "string", multiple: true } } as const;
