import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A directory for what a run's files write and nobody reads after it (cloud assemblies, bundles), removed at its end. */
    testTemp: string;
  }
}

/**
 * vitest's global setup of the projects that synthesize the app: every synth writes a cloud assembly (~23 MB with the
 * staged assets) and a run makes dozens; the workers are stopped without an exit event, so the run removes them.
 */
export default function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'dd-test-run-'));
  project.provide('testTemp', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
