// Empties dist/ before a build, so a file whose source was moved or deleted is not left behind
// to be imported or published.
import { rmSync } from "node:fs";

rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });
