// Writes src/compiler/codegen/runtime-bundle.ts: the code generated modules embed, as import-free
// TS and JS, plus the declarations a module's `.d.ts` repeats. The sources are the folders
// src/embedded and src/shared, taken whole; the roots are what src/embedded/index.ts exports
// (every module), what src/embedded/wasm-heap.ts exports (modules with WebAssembly kernels), and
// each export of src/embedded/helpers.ts on its own (modules whose code calls it). A declaration
// goes in only if a root reaches it. One source of truth: the float64 reference and every
// generated kernel run this exact code.
// Runs in every build; CI fails when the committed file is stale.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { format } from "prettier";
import ts from "typescript";

const SRC = new URL("../src/", import.meta.url);
const FOLDERS = ["embedded", "shared"];
const CORE_ENTRY = "embedded/index.ts";
const WASM_ENTRY = "embedded/wasm-heap.ts";
const HELPERS_ENTRY = "embedded/helpers.ts";
/** What a generated module's declarations name; their declarations are exported from it. */
const PUBLIC_TYPES = ["CellMeta", "FloatArray", "ForwardOptions", "StackOptions", "Tensor"];
const PRETTIER = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
).prettier;

/** Every file of the folders, parsed, with the files it imports (which must stay inside them). */
function readFiles() {
  const files = new Map();
  for (const folder of FOLDERS) {
    for (const name of readdirSync(new URL(folder, SRC)).sort()) {
      if (!name.endsWith(".ts")) continue;
      const path = `${folder}/${name}`;
      const text = readFileSync(new URL(path, SRC), "utf8");
      const source = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true);
      files.set(path, { path, text, source, imports: importsOf(path, source) });
    }
  }
  return files;
}

function importsOf(path, source) {
  const list = [];
  for (const stmt of source.statements) {
    if (!(ts.isImportDeclaration(stmt) || ts.isExportDeclaration(stmt))) continue;
    if (!stmt.moduleSpecifier) continue;
    const spec = stmt.moduleSpecifier.text;
    const target = new URL(spec.replace(/\.js$/, ".ts"), new URL(path, SRC)).href.slice(
      SRC.href.length,
    );
    if (!spec.startsWith(".") || !FOLDERS.some((f) => target.startsWith(`${f}/`))) {
      throw new Error(`${path}: embedded code may import only from ${FOLDERS.join(", ")}: ${spec}`);
    }
    list.push(target);
  }
  return list;
}

/** Files in dependency order (imports first), ties by path, so the output is stable. */
function dependencyOrder(files) {
  const order = [];
  const state = new Map();
  const visit = (path) => {
    if (state.get(path) === "done") return;
    if (state.get(path) === "open") throw new Error(`import cycle through ${path}`);
    state.set(path, "open");
    for (const dep of files.get(path).imports) visit(dep);
    state.set(path, "done");
    order.push(files.get(path));
  };
  for (const path of [...files.keys()]) visit(path);
  return order;
}

function declarationName(stmt) {
  if (ts.isVariableStatement(stmt)) return stmt.declarationList.declarations[0].name.getText();
  return stmt.name?.getText();
}

function declarations(ordered) {
  const decls = [];
  for (const { path, text, source } of ordered) {
    for (const stmt of source.statements) {
      if (ts.isImportDeclaration(stmt) || ts.isExportDeclaration(stmt)) continue;
      const name = declarationName(stmt);
      if (!name) throw new Error(`${path}: unexpected top-level statement: ${stmt.getText()}`);
      if (decls.some((d) => d.name === name)) throw new Error(`${path}: '${name}' declared twice`);
      // Keep leading comments (JSDoc), drop the `export` keyword.
      const full = text
        .slice(stmt.getFullStart(), stmt.getEnd())
        .replace(/^(\s*(?:\/\/[^\n]*\n|\/\*[\s\S]*?\*\/\s*)*\s*)export /, "$1");
      const ids = new Set();
      const visit = (node) => {
        if (ts.isIdentifier(node)) ids.add(node.text);
        ts.forEachChild(node, visit);
      };
      visit(stmt);
      const isType = ts.isInterfaceDeclaration(stmt) || ts.isTypeAliasDeclaration(stmt);
      decls.push({ name, isType, text: full.replace(/^\n+/, ""), ids });
    }
  }
  return decls;
}

/** The names a file exports (declared there or re-exported). */
function exportedNames(file) {
  const names = [];
  for (const stmt of file.source.statements) {
    if (ts.isExportDeclaration(stmt) && stmt.exportClause && ts.isNamedExports(stmt.exportClause)) {
      for (const el of stmt.exportClause.elements) names.push(el.name.text);
    } else if (stmt.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      names.push(declarationName(stmt));
    }
  }
  return names;
}

/** The declarations `roots` reach, transitively, in file order. */
function reach(decls, roots, follow = () => true) {
  const byName = new Map(decls.map((d) => [d.name, d]));
  const keep = new Set(roots);
  const work = [...roots];
  while (work.length > 0) {
    const d = byName.get(work.pop());
    if (!d) continue;
    for (const id of d.ids) {
      const other = byName.get(id);
      if (other && !keep.has(id) && follow(other)) {
        keep.add(id);
        work.push(id);
      }
    }
  }
  return decls.filter((d) => keep.has(d.name));
}

async function texts(kept) {
  const tsText = await format(kept.map((d) => d.text).join("\n\n"), {
    ...PRETTIER,
    parser: "typescript",
  });
  const js = ts.transpileModule(tsText, {
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      removeComments: false,
    },
  }).outputText;
  // A file without imports or exports gets an `export {};` to stay a module; ours is pasted
  // into one, so it goes.
  const jsText = js.replace(/^export \{\};\n/m, "");
  return { ts: tsText, js: await format(jsText, { ...PRETTIER, parser: "babel" }) };
}

/** The public types with everything they name, each exported, for a module's `.d.ts`. */
async function publicDeclarations(decls) {
  const kept = reach(decls, PUBLIC_TYPES, (d) => d.isType);
  // A file's opening comment is about the file, not the declaration: only JSDoc stays.
  const text = kept.map((d) =>
    d.text
      .replace(/^(?:\s*\/\/[^\n]*\n)+\s*/, "")
      .replace(/^((?:\/\*[\s\S]*?\*\/)?\s*)/, "$1export "),
  );
  return format(text.join("\n\n"), { ...PRETTIER, parser: "typescript" });
}

const files = readFiles();
const decls = declarations(dependencyOrder(files));
const core = reach(decls, exportedNames(files.get(CORE_ENTRY)));
const wasm = reach(decls, exportedNames(files.get(WASM_ENTRY))).filter((d) => !core.includes(d));
const helpers = {};
for (const name of exportedNames(files.get(HELPERS_ENTRY))) {
  // A helper stands alone: anything else it names must be a type every module declares.
  const extra = reach(decls, [name]).filter((d) => d.name !== name);
  const stray = extra.filter((d) => !d.isType || !core.includes(d));
  if (stray.length > 0) throw new Error(`helper '${name}' needs ${stray.map((d) => d.name)}`);
  helpers[name] = await texts(reach(decls, [name]).filter((d) => d.name === name));
}
const coreText = await texts(core);
const wasmText = await texts(wasm);
const names = (list) => JSON.stringify(list.map((d) => d.name));

const out = `// Generated by scripts/bundle-runtime.mjs from src/embedded and src/shared. Do not edit.
// The code every generated module embeds, as TypeScript and as JavaScript.

export const RUNTIME_TS = ${JSON.stringify(coreText.ts)};

export const RUNTIME_JS = ${JSON.stringify(coreText.js)};

/** Top-level names the bundle declares; generated code must not reuse them. */
export const RUNTIME_NAMES: readonly string[] = ${names(core)};

/** The WebAssembly support (heap, packing), for modules with WebAssembly kernels. */
export const WASM_RUNTIME_TS = ${JSON.stringify(wasmText.ts)};

export const WASM_RUNTIME_JS = ${JSON.stringify(wasmText.js)};

export const WASM_RUNTIME_NAMES: readonly string[] = ${names(wasm)};

export type HelperName = ${Object.keys(helpers)
  .map((n) => JSON.stringify(n))
  .join(" | ")};

/** Functions generated kernels call, by name: each emitted once, where used. */
export const HELPERS: Readonly<Record<HelperName, { readonly ts: string; readonly js: string }>> = ${JSON.stringify(helpers, null, 2)};

/** The types a module's declarations name, exported, for its \`.d.ts\`. */
export const PUBLIC_TYPES_DTS = ${JSON.stringify(await publicDeclarations(decls))};

/** Their names, which a \`--ts\` module exports. */
export const PUBLIC_TYPE_NAMES: readonly string[] = ${JSON.stringify(PUBLIC_TYPES)};
`;
writeFileSync(new URL("compiler/codegen/runtime-bundle.ts", SRC), out);
// (quiet: this runs in every build)
