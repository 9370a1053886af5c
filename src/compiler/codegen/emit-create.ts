// Emits a module's entry points: the layer factory that picks WebAssembly or JavaScript per
// layer, `create(weights, options)`, which builds the stack (and its thread pool), and the entry
// point of the module's worker threads.
import type { CodeWriter } from "./writer.js";
import type { TsSyntax } from "./ts-syntax.js";

/** WebAssembly SIMD where the platform has it; the JavaScript kernel otherwise. */
export function emitChooser(w: CodeWriter, ts: TsSyntax, tinyLayersInJs: boolean): void {
  const params = [ts.param("sizes", "Sizes"), ts.param("weights", "ReadonlyMap<string, Tensor>")];
  w.comment("Compiled on first use, once per module; null where WebAssembly SIMD is missing.");
  w.line(`let compiled${ts.type("WasmModule | null | undefined")};`);
  w.line();
  w.block(`function createLayer(${params.join(", ")})${ts.type("LayerKernel")}`, () => {
    w.line("if (compiled === undefined) compiled = compileKernels(WASM);");
    const useJs = tinyLayersInJs ? "!compiled || isTinyLayer(weights)" : "!compiled";
    w.line(`if (${useJs}) return createLayerJs(sizes, weights);`);
    w.line("return createLayerWasm(sizes, weights, compiled);");
  });
}

export function emitCreate(w: CodeWriter, ts: TsSyntax, publicTypes: readonly string[]): void {
  const tensors = ts.param("tensors", "ReadonlyMap<string, Tensor<Float32Array>>");
  w.comment("A stack of this cell's layers; the worker threads of `threads` build their own.");
  w.block(
    `function makeStack(${tensors}, ${ts.param("options", "StackOptions")})${ts.type("Stack<Float32Array>")}`,
    () => w.line("return createStack(meta, tensors, options, Float32Array, createLayer);"),
  );
  w.line();
  const weights = ts.param(
    "weights",
    "Readonly<Record<string, Tensor>> | ReadonlyMap<string, Tensor>",
  );
  w.line(
    "/** Binds the cell to PyTorch-named weights (`weight_ih_l0`, ...); throws a DataError on bad ones. */",
  );
  w.block(
    `export function create(${weights}, ${ts.param("options", "StackOptions")} = {})${ts.type("Model")}`,
    () => {
      w.line('const tensors = float32Weights(weights, options.sources?.weights ?? "weights");');
      w.line("const stack = makeStack(tensors, options);");
      // `import.meta.url` is typed by lib.dom or @types/node, which a user's project may lack.
      w.line(`const url = (import.meta${ts.as("{ url?: string }")}).url;`);
      w.line("const pool = createThreadPool(meta, tensors, options, url, stack, makeStack);");
      w.block(
        "return",
        () => {
          w.block(
            `forward(${ts.param("input", "Tensor")}, initial = {}, forwardOptions = {})`,
            () => {
              const call = "(pool ?? stack).forward(input, initial, forwardOptions)";
              if (!ts.typed) return void w.line(`return ${call};`);
              // The runtime checks what it is given (states: own keys naming states, whole
              // tensors; options: known keys, lengths from 1 to T).
              w.line(`const { output, states } = ${call};`);
              w.line("return { output, states: states as States };");
            },
            "},",
          );
          w.line("close: () => pool?.close(),");
        },
        "};",
      );
    },
  );
  w.line();
  w.line(
    "/** The entry point of this module's worker threads (see StackOptions.threads); not for direct use. */",
  );
  w.block(`export function serveThread(${ts.param("data", "unknown")})${ts.type("void")}`, () =>
    w.line(`serveWorker(data${ts.as("ThreadData")}, makeStack);`),
  );
  if (ts.typed) w.line(`export type { ${publicTypes.join(", ")} };`);
}
