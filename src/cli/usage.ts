// Command-line parsing shared by every verb: `--help` anywhere, repeated `--act SLOT=SPEC`, and
// one-line usage errors (exit 2) instead of exceptions. Messages quote arguments, so they show
// control characters escaped.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { printable } from "../shared/printable.js";

export class UsageError extends Error {
  override readonly name = "UsageError";

  constructor(message: string) {
    super(printable(message));
  }
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

/**
 * A repeated `--NAME KEY=VALUE` option as a Map, in the order given (a later KEY replaces an
 * earlier one). A Map, so that keys such as `__proto__` or `constructor` are keys like any other.
 */
export function keyValueOption(
  values: ParsedValues,
  option: string,
  form: string,
): Map<string, string> {
  const raw = values[option];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const pairs = new Map<string, string>();
  for (const item of list) {
    const text = String(item);
    const eq = text.indexOf("=");
    if (eq <= 0) throw new UsageError(`--${option} expects ${form}; got '${text}'`);
    pairs.set(text.slice(0, eq).trim(), text.slice(eq + 1));
  }
  return pairs;
}

/**
 * `--act gate=hard_sigmoid(0.25, 0.5)` options, as a slot -> spec record whose keys are all own
 * properties (built by Object.fromEntries: `--act __proto__=relu` is a slot named `__proto__`).
 */
export function activationOverrides(values: ParsedValues): Record<string, string> {
  const form = "SLOT=SPEC, such as gate=hard_sigmoid(0.25, 0.5)";
  return Object.fromEntries(keyValueOption(values, "act", form));
}

export const ACT_OPTION = { act: { type: "string", multiple: true } } as const;
