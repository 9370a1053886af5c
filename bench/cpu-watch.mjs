// How much CPU did *other* processes use while the benchmark ran? On a 2-core machine shared with
// builds and test runs this is the main source of noise, so results.md states it.
import { readFileSync } from "node:fs";
import os from "node:os";

const busyMs = () =>
  os.cpus().reduce((n, c) => n + c.times.user + c.times.nice + c.times.sys + c.times.irq, 0);

/**
 * CPU time the hypervisor gave to other guests while this one wanted it ("steal", Linux only), in
 * ms: on a shared virtual machine, the noise no process list shows. Null where unknown.
 */
function stealMs() {
  try {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/);
    return (Number(fields[8]) * 1000) / 100; // USER_HZ ticks
  } catch {
    return null;
  }
}

/**
 * Starts watching; the returned function gives seconds of wall time, of others' CPU time and of
 * CPU time stolen by the hypervisor (null where unknown).
 */
export function startCpuWatch() {
  const wall0 = performance.now();
  const busy0 = busyMs();
  const steal0 = stealMs();
  const own0 = process.cpuUsage(); // includes ORT's and other worker threads of this process
  return () => {
    const own = process.cpuUsage(own0);
    const ownMs = (own.user + own.system) / 1000;
    const othersMs = Math.max(0, busyMs() - busy0 - ownMs);
    const steal = stealMs();
    const stolenCoreSec = steal === null || steal0 === null ? null : (steal - steal0) / 1000;
    return {
      wallSec: (performance.now() - wall0) / 1000,
      othersCoreSec: othersMs / 1000,
      stolenCoreSec,
    };
  };
}
