// How much CPU did *other* processes use while the benchmark ran? On a 2-core machine shared with
// builds and test runs this is the main source of noise, so results.md states it.
import os from "node:os";

const busyMs = () =>
  os.cpus().reduce((n, c) => n + c.times.user + c.times.nice + c.times.sys + c.times.irq, 0);

/** Starts watching; the returned function gives seconds of wall time and of others' CPU time. */
export function startCpuWatch() {
  const wall0 = performance.now();
  const busy0 = busyMs();
  const own0 = process.cpuUsage(); // includes ORT's and other worker threads of this process
  return () => {
    const own = process.cpuUsage(own0);
    const ownMs = (own.user + own.system) / 1000;
    const othersMs = Math.max(0, busyMs() - busy0 - ownMs);
    return { wallSec: (performance.now() - wall0) / 1000, othersCoreSec: othersMs / 1000 };
  };
}
