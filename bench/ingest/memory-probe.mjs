// Preloaded into a `foghorn up` process by memory-bench.ts (`node --import`). Every 50 ms it
// writes the peaks of process.memoryUsage() and the garbage collections so far to the JSON
// file named by FOGHORN_MEMORY_PROBE_FILE. Only the main thread reports: tsx runs its
// loader in a worker thread, which would overwrite the file with its own small heap.

import { renameSync, writeFileSync } from 'node:fs';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';

const MIB = 1024 * 1024;

function startProbe(file) {
  const peaks = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
  const collections = { minor: 0, minorMs: 0, major: 0, majorMs: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        collections.major++;
        collections.majorMs += entry.duration;
      } else if (entry.detail.kind === constants.NODE_PERFORMANCE_GC_MINOR) {
        collections.minor++;
        collections.minorMs += entry.duration;
      }
    }
  }).observe({ entryTypes: ['gc'] });
  const timer = setInterval(() => {
    const usage = process.memoryUsage();
    for (const key of Object.keys(peaks)) peaks[key] = Math.max(peaks[key], usage[key] / MIB);
    // A rename replaces the file in one step, so the bench never reads it half written.
    writeFileSync(`${file}.next`, JSON.stringify({ peaks, collections }));
    renameSync(`${file}.next`, file);
  }, 50);
  timer.unref();
}

const file = process.env.FOGHORN_MEMORY_PROBE_FILE;
if (isMainThread && file !== undefined) startProbe(file);
